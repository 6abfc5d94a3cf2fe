import torch

# broadcasting: gradients are summed back to the parameter's shape
x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
b1 = torch.zeros(1, requires_grad=True)
b0 = torch.zeros((), requires_grad=True)
b3 = torch.zeros(3, requires_grad=True)
bc = torch.zeros(2, 1, requires_grad=True)
((x + b1 + b0 + b3 + bc) ** 2).sum().backward()
print(b1.grad, b1.grad.shape)
print(b0.grad, b0.grad.shape)
print(b3.grad)
print(bc.grad)
# %%
# a (1,) bias against a () target: the loss broadcasts and warns
w = torch.tensor([2.0], requires_grad=True)
pred = w * 3
target = torch.tensor(5.0)
loss = torch.nn.functional.mse_loss(pred, target)
print(loss)
# %%
pred2 = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
tgt = torch.tensor([1.0, 2.0, 4.0])
loss = torch.nn.functional.mse_loss(pred2, tgt)
print(loss)
loss.backward()
print(pred2.grad)
# %%
# expand vs repeat: both give the summed gradient
v = torch.tensor([1.0, 2.0], requires_grad=True)
e = v.expand(3, 2)
r = v.repeat(3, 1)
print(e.grad_fn, r.grad_fn, e.is_contiguous(), r.is_contiguous())
(e * torch.arange(6.0).view(3, 2)).sum().backward()
print(v.grad)
v.grad = None
(r * torch.arange(6.0).view(3, 2)).sum().backward()
print(v.grad)
# %%
# float64, broadcasting in both directions
p = torch.tensor([[1.0], [2.0]], dtype=torch.float64, requires_grad=True)
q = torch.tensor([[1.0, -1.0, 0.5]], dtype=torch.float64, requires_grad=True)
(p * q).pow(2).sum().backward()
print(p.grad)
print(q.grad)
