import warnings
import torch
class NanBack(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g * float("nan")
x = torch.ones(2, requires_grad=True)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    with torch.autograd.detect_anomaly():
        try:
            NanBack.apply(x).sum().backward()
        except RuntimeError as e:
            print(e)
# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    with torch.autograd.detect_anomaly(check_nan=False):
        NanBack.apply(x).sum().backward()
print(x.grad)
# %%
a = torch.tensor([1.0, 2.0], requires_grad=True)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    with torch.autograd.detect_anomaly():
        b = a.exp()
        b.add_(1)
        try:
            b.sum().backward()
            print(a.grad)
        except RuntimeError as e:
            print(str(e)[:150])
        c = a.sigmoid()
        c.mul_(2)
        try:
            c.sum().backward()
        except RuntimeError as e:
            print(str(e).split("\n")[0][:300])
# %%
torch.autograd.set_detect_anomaly(True)
print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
torch.autograd.set_detect_anomaly(False)
print(torch.is_anomaly_enabled())
with torch.autograd.set_detect_anomaly(True, check_nan=False):
    print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
