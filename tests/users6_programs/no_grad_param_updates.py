import torch
torch.manual_seed(0)
w = torch.randn(3, dtype=torch.float64, requires_grad=True)
x = torch.randn(5, 3, dtype=torch.float64)
y = x @ torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
for step in range(3):
    loss = ((x @ w - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
    w.grad.zero_()
    print(step, round(loss.item(), 6), w.requires_grad, w.is_leaf)
# %%
try:
    w -= 1.0
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    w.data.mul_(2)
    print(w.requires_grad, w.grad_fn)
except RuntimeError as e:
    print(type(e).__name__, e)
v = w.detach()
v[0] = 100.0
print(w[0].item() == 100.0)
with torch.no_grad():
    u = w * 2
print(u.requires_grad, u.grad_fn)
