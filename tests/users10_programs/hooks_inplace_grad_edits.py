import torch
w = torch.tensor(3.0, requires_grad=True)
def hk(g):
    g.mul_(2)
w.register_hook(hk)
w.register_hook(lambda g: print("second sees", g))
(w * w).backward()
print(w.grad)
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
y.register_hook(lambda g: g.add_(10))
y.retain_grad()
(y ** 2).sum().backward()
print(y.grad, x.grad)
# %%
p = torch.nn.Parameter(torch.ones(2, 2))
p.register_hook(lambda g: g.clamp_(max=0.5))
(p * torch.tensor([[1.0, 2.0], [0.1, 3.0]])).sum().backward()
print(p.grad)
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
x.register_hook(lambda g: g.zero_())
g, = torch.autograd.grad((x * x).sum(), x)
print(g)
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.retain_grad()
y.register_hook(lambda g: g + 1)
z = y.sum()
z.backward()
print(y.grad, x.grad)
# %%
t = torch.tensor(1.0, requires_grad=True)
u = t * 2
u.register_hook(lambda g: None)
torch.autograd.grad(u, t)
try:
    u.backward()
except RuntimeError as e:
    print(e)
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
handle = y.register_hook(lambda g: g * 0)
handle.remove()
y.sum().backward()
print(x.grad)
# %%
for reg in ['pre', 'post']:
    for ret in [lambda: torch.ones(2), lambda: [torch.ones(2)], lambda: 3, lambda: (torch.ones(2),)]:
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        if reg == 'pre':
            y.grad_fn.register_prehook(lambda go, r=ret: r())
        else:
            y.grad_fn.register_hook(lambda gi, go, r=ret: r())
        try:
            (y * torch.ones(2)).sum().backward()
            print(reg, x.grad)
        except Exception as e:
            print(reg, type(e).__name__, e)
# %%
leaf = torch.tensor([1.0, 2.0], requires_grad=True)
acc = (leaf * 1).grad_fn.next_functions[0][0]
acc.register_prehook(lambda go: [go[0] * 2])
try:
    (leaf * 3).sum().backward()
except TypeError as e:
    print(e)
