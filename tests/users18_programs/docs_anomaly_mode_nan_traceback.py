import torch
import warnings

class MyFunc(torch.autograd.Function):
    @staticmethod
    def forward(ctx, inp):
        ctx.save_for_backward(inp)
        return inp.clone()
    @staticmethod
    def backward(ctx, gO):
        raise RuntimeError("Some error in backward")

def run_fn(a):
    out = MyFunc.apply(a)
    return out.sum()

inp = torch.rand(10, 10, requires_grad=True)
out = run_fn(inp)
try:
    out.backward()
except RuntimeError as e:
    print(e)
# %%
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    with torch.autograd.detect_anomaly():
        inp = torch.rand(10, 10, requires_grad=True)
        out = run_fn(inp)
        try:
            out.backward()
        except RuntimeError as e:
            print(e)
    msgs = [str(m.message) for m in w]
print(len(msgs) >= 1, any("Error detected in MyFuncBackward" in m for m in msgs))
print(msgs[0][:60])
# %%
x = torch.tensor([0.0, 1.0], requires_grad=True)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    with torch.autograd.detect_anomaly():
        y = torch.sqrt(x)
        z = (y * 0).sum()
        try:
            z.backward()
        except RuntimeError as e:
            print(e)
    print([str(m.message).split("\n")[0][:70] for m in w])
print(torch.is_anomaly_enabled())
# %%
x = torch.tensor([-1.0, 4.0], requires_grad=True)
y = torch.log(x)
print(y)
y.sum().backward()
print(x.grad)
with torch.autograd.set_detect_anomaly(True, check_nan=False):
    print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
    x.grad = None
    torch.sqrt(x).sum().backward()
    print(x.grad)
print(torch.is_anomaly_enabled())
