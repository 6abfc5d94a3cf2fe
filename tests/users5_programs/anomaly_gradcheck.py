import warnings
import torch
x = torch.tensor([1.0, -1.0], requires_grad=True)
with torch.autograd.detect_anomaly():
    y = torch.sqrt(x)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # (torch's forward traceback names the harness's files)
            y.sum().backward()
    except RuntimeError as e:
        print("RuntimeError:", e)
# %%
print(torch.is_anomaly_enabled())
with torch.autograd.set_detect_anomaly(True):
    print(torch.is_anomaly_enabled())
print(torch.is_anomaly_enabled())
# %%
def f(a, b):
    return (a * b.exp()).sum(0)
a = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
b = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(f, (a, b)))
print(torch.autograd.gradgradcheck(f, (a, b)))
print(torch.autograd.gradcheck(f, (a, b), fast_mode=True))
# %%
class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 3
    @staticmethod
    def backward(ctx, g):
        return g * 2
print(torch.autograd.gradcheck(Bad.apply, (a,), raise_exception=False))
# %%
torch.autograd.gradcheck(lambda t: t * 2, (torch.ones(2, requires_grad=True),))
