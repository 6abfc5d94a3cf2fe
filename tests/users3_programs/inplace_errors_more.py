# ruff: noqa: F821
import torch

def show(f):
    try:
        r = f()
        print("ok", r)
    except Exception as e:
        print(type(e).__name__ + ":", e)

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.exp()
b.add_(1)
show(lambda: b.sum().backward())
a2 = torch.tensor([1.0, 2.0], requires_grad=True)
c = a2 * 2
v = c[0:1]
v.mul_(3)
c.sum().backward()
print(a2.grad, c.grad_fn.name(), v.grad_fn.name())
leaf = torch.zeros(3, requires_grad=True)
show(lambda: leaf[0].fill_(1))
show(lambda: leaf.view(3).add_(1))
with torch.no_grad():
    leaf[0] = 5.0
print(leaf, leaf.requires_grad, leaf.grad_fn)
s = torch.tensor(2.0, requires_grad=True)
t = s.sigmoid()
t.mul_(2)
show(lambda: t.backward())
u = torch.tensor([1.0, 2.0], requires_grad=True)
w = u.tanh()
w2 = w * 1
w[0] = 0.0
show(lambda: w2.sum().backward())
show(lambda: (w.sum()).backward())
# %%
x = torch.ones(2, 3)
show(lambda: x.add_(torch.ones(3, 2)))
show(lambda: x.add_(torch.ones(2, 3, dtype=torch.float64)).dtype)
show(lambda: x.mul_(torch.ones(4, 2, 3)))
show(lambda: torch.ones(2, dtype=torch.long).add_(0.5))
show(lambda: torch.ones(2, dtype=torch.long).div_(2))
show(lambda: torch.ones(2).expand(3, 2).add_(1))
show(lambda: torch.ones(3).unsqueeze(0).expand(2, 3).clone().add_(1))
y = torch.zeros(2, 3)
y.t_()
print(y.shape, y.is_contiguous())
y.unsqueeze_(0).squeeze_()
print(y.shape)
z = torch.tensor([3.0, -1.0])
z.clamp_(min=0).sqrt_().neg_()
print(z)
