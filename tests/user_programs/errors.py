import torch
x = torch.tensor([0.0, 1.0], requires_grad=True)
with torch.autograd.set_detect_anomaly(True):
    y = torch.sqrt(x)
    try:
        y.sum().backward()
    except RuntimeError as e:
        print("err", str(e)[:80])
print(x.grad)
z = torch.tensor([1.0], requires_grad=True)
try:
    (z * 2).backward(torch.ones(2))
except RuntimeError as e:
    print(e)
try:
    torch.tensor([1, 2], requires_grad=True)
except RuntimeError as e:
    print(e)
try:
    z.numpy()
except RuntimeError as e:
    print(e)
try:
    torch.ones(2, 3) @ torch.ones(2, 3)
except RuntimeError as e:
    print(e)
try:
    torch.ones(2) + torch.ones(3)
except RuntimeError as e:
    print(e)
try:
    torch.tensor([1.0, 2.0]).item()
except RuntimeError as e:
    print(e)
try:
    z.view(2)
except RuntimeError as e:
    print(e)
