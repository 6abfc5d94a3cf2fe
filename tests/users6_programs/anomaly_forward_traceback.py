import warnings
import torch
# detect_anomaly: the warning names the node whose backward failed, with the
# traceback of the forward call that made it (or says there is none)
def model(x):
    h = x.sqrt()
    return (h * 0).sum()
x = torch.tensor([-1.0, 4.0], dtype=torch.float64, requires_grad=True)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    with torch.autograd.detect_anomaly():
        out = model(x)
        try:
            out.backward()
        except RuntimeError as e:
            print(type(e).__name__, e)
for item in w[1:]:
    lines = str(item.message).split("\n")
    print(lines[0])
    print([ln.strip() for ln in lines[1:] if ln.strip().startswith(("h = ", "out = "))])
# %%
y = x.log()
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    with torch.autograd.detect_anomaly():
        try:
            (y * 0).sum().backward()
        except RuntimeError as e:
            print(type(e).__name__, e)
print([str(i.message).split("(Triggered")[0] for i in w[1:]])
# %%
class Explode(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a * 2
    @staticmethod
    def backward(ctx, g):
        raise ValueError("backward blew up")
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    with torch.autograd.detect_anomaly(check_nan=False):
        z = Explode.apply(x)
        try:
            z.sum().backward()
        except ValueError as e:
            print(type(e).__name__, e)
print([str(i.message).split("\n")[0] for i in w[1:]])
print(any("z = Explode.apply(x)" in str(i.message) for i in w))
# %%
a = torch.tensor([1.0, 2.0], requires_grad=True)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    with torch.autograd.detect_anomaly():
        b = a.exp()
        b.mul_(2)
        try:
            b.sum().backward()
        except RuntimeError as e:
            print(type(e).__name__, str(e).split(";")[0])
print([str(i.message).split("\n")[0] for i in w[1:]])
