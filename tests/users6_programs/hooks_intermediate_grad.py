import torch
x = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64, requires_grad=True)
h = x * 2
h.retain_grad()
seen = []
handle = h.register_hook(lambda g: seen.append(g.clone()))
h2 = h.relu()
h2.register_hook(lambda g: g * 10)
loss = (h2 ** 2).sum()
loss.backward()
print(seen, h.grad, x.grad)
handle.remove()
# %%
x.grad = None
h = x * 2
h.register_hook(lambda g: print("hook got", g))
h.register_hook(lambda g: None)
(h * h).sum().backward()
print(x.grad)
# %%
try:
    x.register_hook(5)
except Exception as e:
    print(type(e).__name__, e)
w = torch.ones(2)
try:
    w.register_hook(lambda g: g)
except RuntimeError as e:
    print(type(e).__name__, e)
