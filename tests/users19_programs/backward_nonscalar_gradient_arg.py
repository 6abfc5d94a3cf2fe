import torch

# the tutorial's vector-Jacobian product
x = torch.tensor([1.0, -0.5, 2.0], requires_grad=True)
y = x * 2
while y.data.norm() < 100:
    y = y * 2
print(y)
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)
# %%
# backward of a matrix output with an all-ones gradient equals backward of its sum
W = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
out = W.pow(2) * torch.tensor([1.0, -1.0])
out.backward(torch.ones_like(out))
g1 = W.grad.clone()
W.grad = None
(W.pow(2) * torch.tensor([1.0, -1.0])).sum().backward()
print(g1, torch.equal(g1, W.grad))
# %%
# the gradient argument weights each output
W.grad = None
out = W.pow(2)
out.backward(torch.tensor([[1.0, 0.0], [0.0, 2.0]]))
print(W.grad)
# %%
# torch.autograd.backward with several roots
a = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
r1 = a.exp()
r2 = (a * 3).sum()
torch.autograd.backward([r1, r2], [torch.ones(2, dtype=torch.float64), torch.tensor(2.0, dtype=torch.float64)])
print(a.grad)
try:
    torch.autograd.backward([a * 2, a * 3], [torch.ones(2, dtype=torch.float64)])
except RuntimeError as e:
    print(e)
# %%
# a gradient argument that requires grad itself (with create_graph)
a.grad = None
v = torch.tensor([1.0, 1.0], dtype=torch.float64, requires_grad=True)
(g,) = torch.autograd.grad(a ** 2, a, grad_outputs=v, create_graph=True)
print(g)
(dv,) = torch.autograd.grad(g.sum(), v)
print(dv)
