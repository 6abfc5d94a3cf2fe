import torch
x = torch.tensor([1.0, 0.0, 4.0], requires_grad=True)
y = torch.sqrt(x) * 0.0
z = y.sum()
z.backward()
print(x.grad)
print(torch.is_anomaly_enabled())
# %%
import warnings
x.grad = None
with torch.autograd.detect_anomaly():
    y = (x.log() * x).sum()
    print(y)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            (x.log() * 0 + x.sqrt().log()).sum().backward()
    except RuntimeError as e:
        print(e)
print(torch.is_anomaly_enabled())
# %%
torch.autograd.set_detect_anomaly(True)
print(torch.is_anomaly_enabled())
a = torch.tensor([-1.0, 2.0], requires_grad=True)
b = (a.clamp(min=0) ** 0.5).sum()
try:
    b.backward()
except RuntimeError as e:
    print(e)
print(a.grad)
torch.autograd.set_detect_anomaly(False)
# %%
# nan checks users write by hand
w = torch.tensor([0.0, 1.0], requires_grad=True)
loss = (w / w).sum()
loss.backward()
print(torch.isnan(w.grad).any(), torch.isfinite(w.grad), w.grad.nan_to_num(0.0))
print(loss.isnan(), torch.nan_to_num(torch.tensor([float("nan"), float("inf"), -float("inf")])))
