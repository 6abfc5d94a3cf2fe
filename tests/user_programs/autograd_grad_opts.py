import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.tensor(3.0, requires_grad=True)
z = (x * 2).sum()
print(torch.autograd.grad(z, [x, y], allow_unused=True))
z = (x * 2).sum()
print(torch.autograd.grad(z, [x, y], allow_unused=True, materialize_grads=True))
out = x ** 2
print(torch.autograd.grad(out, x, grad_outputs=torch.tensor([1.0, 0.5])))
out = x ** 2
print(torch.autograd.grad(out, x, grad_outputs=torch.eye(2), is_grads_batched=True))
try:
    torch.autograd.grad((x * 2).sum(), y)
except RuntimeError as e:
    print(e)
try:
    torch.autograd.grad(x ** 2, x)
except RuntimeError as e:
    print(e)
a = x * y
print(torch.autograd.grad([a.sum(), (a ** 2).sum()], [x, y]))
g = torch.autograd.grad(a.sum(), x, retain_graph=True)[0]
print(g, g.requires_grad)
torch.autograd.backward([a.sum()], inputs=[y])
print(x.grad, y.grad)
