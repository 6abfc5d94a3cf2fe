import torch
w = torch.ones(3, requires_grad=True)
for stmt in ["w.add_(1)", "w[0] = 5", "w.zero_()", "w.data.add_(1)", "w.detach().add_(1)"]:
    try:
        exec(stmt)
        print(stmt, "ok", w)
    except RuntimeError as e:
        print(stmt, type(e).__name__, e)
# %%
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 1
v = b[:2]
v.mul_(10)
print(b, b.grad_fn.name(), v.grad_fn.name())
b.sum().backward()
print(a.grad)
c = a.exp()
c.add_(1)
try:
    c.sum().backward()
except RuntimeError as e:
    print(type(e).__name__, str(e)[:160])
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = x.view(2)
try:
    y.mul_(2)
except RuntimeError as e:
    print(type(e).__name__, str(e)[:200])
print(x._version, y._version)
