import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x ** 3
z = y.sum()
z.backward(retain_graph=True)
print(x.grad)
z.backward(retain_graph=True)
print(x.grad)
x.grad.zero_()
z.backward()
print(x.grad)
# %%
z.backward()
# %%
# Jacobian rows with retain_graph, the notebook way
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = torch.stack([x[0] * x[1], x[1] ** 2, x.sum()])
rows = []
for i in range(3):
    if x.grad is not None:
        x.grad.zero_()
    out[i].backward(retain_graph=True)
    rows.append(x.grad.clone())
print(torch.stack(rows))
# %%
# two losses sharing a graph: backward both, or sum them
w = torch.tensor([0.5, -0.5], requires_grad=True)
h = torch.tanh(w * 2)
l1 = h.sum()
l2 = (h ** 2).sum()
l1.backward(retain_graph=True)
g1 = w.grad.clone()
l2.backward()
print(g1, w.grad)
w.grad = None
h = torch.tanh(w * 2)
(h.sum() + (h ** 2).sum()).backward()
print(w.grad)
# %%
# backward with a gradient argument, and non-scalar errors
v = torch.tensor([1.0, 2.0], requires_grad=True)
u = v * torch.tensor([3.0, 4.0])
u.backward(torch.tensor([1.0, 0.5]))
print(v.grad)
try:
    (v * 2).backward()
except RuntimeError as e:
    print(e)
try:
    (v * 2).backward(torch.ones(3))
except RuntimeError as e:
    print(e)
print(torch.autograd.grad((v ** 2).sum(), v, retain_graph=False))
