import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
events = []
x.register_hook(lambda g: events.append(("leaf hook", g.tolist())) or g * 2)
y = x * 3
y.retain_grad()
y.register_hook(lambda g: events.append(("y hook 1", g.tolist())))
y.register_hook(lambda g: events.append(("y hook 2", g.tolist())) or g + 1)
z = (y ** 2).sum()
z.backward()
print(events)
print(y.grad, x.grad)
# %%
events.clear()
a = torch.tensor([1.0], requires_grad=True)
b = a * 2
b.retain_grad()
hb = b.register_hook(lambda g: g * 0)
(b * 5).sum().backward()
print(b.grad, a.grad)
hb.remove()
a.grad = None
b = a * 2
b.retain_grad()
(b * 5).sum().backward()
print(b.grad, a.grad)
