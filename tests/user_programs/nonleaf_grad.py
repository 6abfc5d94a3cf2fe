import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
z = y.sum()
z.backward()
print(y.grad)
print(y.is_leaf, x.is_leaf, z.grad_fn.next_functions[0][0].name() if z.grad_fn else None)
print(y.requires_grad, y.retains_grad)
y2 = x ** 2
y2.retain_grad()
y2.sum().backward()
print(y2.grad, y2.retains_grad)
