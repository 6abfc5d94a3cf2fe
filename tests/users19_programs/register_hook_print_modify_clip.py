import torch

# register_hook to print, modify and clip gradients
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
h = x.register_hook(lambda g: print("grad of x:", g))
y = x * 2
y.register_hook(lambda g: print("grad of y:", g))
(y ** 2).sum().backward()
print(x.grad)
h.remove()
# %%
# a hook that returns a new gradient replaces it
x.grad = None
h = x.register_hook(lambda g: g * 10)
(x ** 2).sum().backward()
print(x.grad)
h.remove()
# %%
# clipping inside a hook, on an intermediate
x.grad = None
z = x ** 3
z.register_hook(lambda g: g.clamp(-1.0, 1.0))
(z * torch.tensor([5.0, -5.0, 0.5])).sum().backward()
print(x.grad)
# %%
# a hook that modifies the gradient in place
x.grad = None
def zero_first(g):
    g[0] = 0.0
    return g
u = x * 1
u.register_hook(zero_first)
(u * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print(x.grad)
# %%
# hooks on a tensor that does not require grad
c = torch.ones(2)
try:
    c.register_hook(lambda g: g)
except RuntimeError as e:
    print(e)
# %%
# clip gradients of a model via parameter hooks, float64
torch.manual_seed(0)
lin = torch.nn.Linear(2, 1).double()
for p in lin.parameters():
    p.register_hook(lambda g: torch.clamp(g, -0.1, 0.1))
inp = torch.tensor([[10.0, -10.0], [3.0, 1.0]], dtype=torch.float64)
lin(inp).pow(2).sum().backward()
print(lin.weight.grad, lin.bias.grad)
