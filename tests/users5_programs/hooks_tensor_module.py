import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
h = y.register_hook(lambda g: g * 10)
y.retain_grad()
z = (y ** 2).sum()
z.backward()
print(x.grad, y.grad)
h.remove()
# %%
x.grad = None
def printer(g):
    print("grad", g)
x.register_hook(printer)
(x ** 3).sum().backward()
print(x.grad)
# %%
lin = torch.nn.Linear(2, 2)
seen = []
lin.register_full_backward_pre_hook(lambda m, go: seen.append(("pre", go[0].shape)))
lin.register_forward_hook(lambda m, a, kw, out: seen.append(("fwd", sorted(kw))), with_kwargs=True)
lin(torch.ones(3, 2)).sum().backward()
print(seen)
# %%
x = torch.ones(2, requires_grad=True)
x.register_hook(lambda g: "nope")
(x * 2).sum().backward()
