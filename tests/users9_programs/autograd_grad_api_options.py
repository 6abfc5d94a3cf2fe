import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.tensor([3.0], requires_grad=True)
z = torch.tensor([4.0], requires_grad=True)
out = (x ** 2).sum() + 3 * y.sum()
gx, gy, gz = torch.autograd.grad(out, (x, y, z), retain_graph=True, allow_unused=True)
print(gx, gy, gz)
print(torch.autograd.grad(out, (x, z), allow_unused=True, materialize_grads=True, retain_graph=True))
try:
    torch.autograd.grad(out, z, retain_graph=True)
except RuntimeError as e:
    print(e)
v = x * torch.tensor([1.0, -1.0])
print(torch.autograd.grad(v, x, grad_outputs=torch.tensor([2.0, 3.0]), retain_graph=True))
try:
    torch.autograd.grad(v, x, grad_outputs=torch.ones(3))
except RuntimeError as e:
    print(e)
# %%
x.grad = None
out.backward(inputs=[x])
print(x.grad, y.grad)
loss = (x * y).sum()
torch.autograd.backward([loss], grad_tensors=[torch.tensor(2.0)])
print(x.grad, y.grad)
try:
    loss.backward()
except RuntimeError as e:
    print(str(e).split(".")[0])
