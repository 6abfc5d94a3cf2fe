import torch

# "Function 'XBackward0' returned nan values in its 0th output" with anomaly detection
x = torch.tensor([0.0, 1.0], requires_grad=True)
y = torch.sqrt(x) * 0
y.sum().backward()
print(x.grad)
# %%
import warnings

x.grad = None
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with torch.autograd.detect_anomaly():
        y = torch.sqrt(x)
        try:
            (y * 0).sum().backward()
        except RuntimeError as e:
            print(e)
# the second warning carries the forward traceback; its first line names the node
for w in caught:
    print(w.category.__name__, str(w.message).splitlines()[0])
print(x.grad)
# %%
# anomaly mode does not complain about inf
x.grad = None
with torch.autograd.detect_anomaly():
    torch.sqrt(x).sum().backward()
print(x.grad)
# %%
# float64 division by zero in the forward: the gradient is nan only where the value is
z = torch.tensor([0.0, 2.0], dtype=torch.float64, requires_grad=True)
w = torch.tensor([0.0, 1.0], dtype=torch.float64)
r = w / z
print(r)
r.sum().backward()
print(z.grad)
print(torch.is_anomaly_enabled())
