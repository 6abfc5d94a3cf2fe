import torch

x = torch.randn(5, 5)
y = torch.randn(5, 5)
z = torch.randn((5, 5), requires_grad=True)
a = x + y
print(a.requires_grad)
b = a + z
print(b.requires_grad)
# %%
x = torch.randn(5, requires_grad=True)
y = x.pow(2)
print(x.equal(y.grad_fn._saved_self))
print(x is y.grad_fn._saved_self)
y = x.exp()
print(y.equal(y.grad_fn._saved_result))
print(y is y.grad_fn._saved_result)
# %%
x = torch.tensor(1.0, requires_grad=True)
with torch.no_grad():
    y = x * 2
print(y.requires_grad)
with torch.inference_mode():
    w = x * 3
print(w.requires_grad, w.is_inference())
with torch.set_grad_enabled(False):
    q = x * 4
print(q.requires_grad, torch.is_grad_enabled())
# %%
a = torch.tensor([1., 2., 3.], requires_grad=True)
b = a.sigmoid()
c = b.sum()
b.add_(1)
try:
    c.backward()
except RuntimeError as e:
    print(type(e).__name__, str(e)[:120])
# %%
x = torch.ones(2, 2, requires_grad=True)
y = x.view(4)
print(y._base is x, y._is_view())
y2 = x.detach()
y2.zero_()
print(x)
# %%
def f(x):
    return x * x

x = torch.tensor([2.0, -1.0], requires_grad=True)
out = f(x).sum()
g, = torch.autograd.grad(out, x, create_graph=True)
print(g, g.requires_grad, g.grad_fn)
g.sum().backward()
print(x.grad)
