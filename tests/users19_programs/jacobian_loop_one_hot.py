import torch

# Jacobian by a loop of backward calls with one-hot grad outputs
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = torch.stack([x[0] * x[1], x[1] ** 2 + x[2], torch.sin(x[2]) * x[0]])
rows = []
for i in range(3):
    onehot = torch.zeros(3)
    onehot[i] = 1.0
    y.backward(onehot, retain_graph=True)
    rows.append(x.grad.clone())
    x.grad.zero_()
J = torch.stack(rows)
print(J)
# %%
# forgetting retain_graph or the zeroing
x.grad = None
y = x * x.sum()
try:
    for i in range(3):
        y.backward(torch.eye(3)[i])
        print(i, x.grad)
except RuntimeError as e:
    print(str(e)[:50])
# %%
x.grad = None
y = x * x.sum()
for i in range(3):
    y.backward(torch.eye(3)[i], retain_graph=True)
print(x.grad)
# %%
# the same with autograd.grad (no accumulation) and the built-in jacobian
y = torch.stack([x[0] * x[1], x[1] ** 2 + x[2], torch.sin(x[2]) * x[0]])
J2 = torch.stack([torch.autograd.grad(y, x, g, retain_graph=True)[0] for g in torch.eye(3)])
f = lambda v: torch.stack([v[0] * v[1], v[1] ** 2 + v[2], torch.sin(v[2]) * v[0]])
J3 = torch.autograd.functional.jacobian(f, x.detach())
print(torch.equal(J, J2), torch.allclose(J, J3))
# %%
# batched grad outputs in one call
yd = torch.tanh(x.double()) * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
(Jb,) = torch.autograd.grad(yd, x, torch.eye(3, dtype=torch.float64), is_grads_batched=True)
print(Jb)
