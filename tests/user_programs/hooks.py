import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
h = y.register_hook(lambda g: print("hook y", g) or g * 10)
z = (y ** 2).sum()
z.backward()
print(x.grad)
h.remove()
x.grad = None
(x * 2).pow(2).sum().backward()
print(x.grad)
x.register_hook(lambda g: g.clamp(max=5))
(x ** 2).sum().backward()
print(x.grad)
