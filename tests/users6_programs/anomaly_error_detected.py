import warnings
import torch
# detect_anomaly's nan check names the node whose backward made the nan, among
# the gradients torch computes (the gradient of a number operand is not one)
x = torch.tensor([-1.0, 0.0, 4.0], dtype=torch.float64, requires_grad=True)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    with torch.autograd.detect_anomaly():
        y = x.sqrt()
        z = (y * 0).sum()
        try:
            z.backward()
        except RuntimeError as e:
            print(type(e).__name__, e)
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    with torch.autograd.detect_anomaly():
        y = x.log()
        out = (y / 0.0 * 0.0).sum()
        try:
            out.backward()
        except RuntimeError as e:
            print(type(e).__name__, e)
        c = torch.tensor([float("nan"), 1.0])
        out = (x * c).sum()
        try:
            out.backward()
        except RuntimeError as e:
            print(type(e).__name__, e)
        print(x.grad)
# %%
w = torch.tensor([0.0, 1.0], requires_grad=True)
k = torch.tensor([0.0, 2.0])
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    with torch.autograd.detect_anomaly():
        q = (k / w).sum()    # d/dw = -k / w**2: 0/0 at w = 0
        try:
            q.backward()
        except RuntimeError as e:
            print(type(e).__name__, e)
        r = (w / k).sum()    # k needs no gradient: only d/dw (inf / nan free) is checked
        try:
            r.backward()
            print(w.grad)
        except RuntimeError as e:
            print(type(e).__name__, e)
