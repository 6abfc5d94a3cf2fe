import torch

# "My weights never get a gradient": the tensor was created then converted
w = torch.randn(3, requires_grad=True).double()
b = torch.zeros(1, requires_grad=True).to(torch.float64)
x = torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.0, -1.0]], dtype=torch.float64)
loss = ((x @ w + b) ** 2).mean()
loss.backward()
print(w.is_leaf, b.is_leaf, w.grad_fn, b.grad_fn)
print(w.grad, b.grad)
# %%
# answer: create the tensor with the right dtype (a leaf) or call requires_grad_ afterwards
torch.manual_seed(0)
w = torch.randn(3, dtype=torch.float64, requires_grad=True)
b = torch.zeros(1).double().requires_grad_()
loss = ((x @ w + b) ** 2).mean()
loss.backward()
print(w.is_leaf, b.is_leaf)
print(w.grad)
print(b.grad)
# %%
# .to() to the same dtype / device returns the tensor itself, so it stays a leaf
v = torch.ones(2, requires_grad=True)
print(v.to(torch.float32) is v, v.to("cpu") is v, v.float() is v)
u = v.to(torch.float32, copy=True)
print(u.is_leaf, u.grad_fn)
dev = torch.device("cpu")
p = torch.zeros(2, device=dev, requires_grad=True)
print(p.is_leaf, p.device)
# %%
# type conversions in the middle of a graph keep the graph, and the grad comes back as float32
a = torch.tensor([1.5, -2.0], requires_grad=True)
d = a.double() * torch.tensor([2.0, 3.0], dtype=torch.float64)
d.sum().backward()
print(d.dtype, d.grad_fn)
print(a.grad, a.grad.dtype)
