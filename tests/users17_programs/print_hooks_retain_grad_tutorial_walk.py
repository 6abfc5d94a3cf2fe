import torch

a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3*a**3 - b**2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
print(9*a**2 == a.grad)
print(-2*b == b.grad)
print(Q.grad_fn, Q.grad_fn.next_functions)
print(Q.grad_fn.next_functions[0][0].next_functions)
# %%
x = torch.rand(5, 5)
y = torch.rand(5, 5)
z = torch.rand((5, 5), requires_grad=True)
a = x + y
print(f"Does `a` require gradients?: {a.requires_grad}")
b = x + z
print(f"Does `b` require gradients?: {b.requires_grad}")
# %%
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
y.retain_grad()
z = y * y * 3
h = z.register_hook(lambda g: print("z grad:", g))
out = z.mean()
print(y, z, out, sep="\n")
out.backward()
print(x.grad, y.grad, z.grad, z.is_leaf, y.retains_grad)
h.remove()
# %%
def walk(fn, depth=0):
    print("  " * depth + type(fn).__name__, len(fn.next_functions))
    for nxt, idx in fn.next_functions:
        if nxt is not None:
            walk(nxt, depth + 1)

w = torch.randn(3, 2, requires_grad=True, generator=torch.Generator().manual_seed(0))
v = torch.tanh(torch.ones(4, 3) @ w).sum(0).pow(2)
walk(v.grad_fn)
print(v.grad_fn.next_functions[0][0]._saved_dim, v.grad_fn.next_functions[0][0]._saved_keepdim)
print(v.grad_fn._saved_self if hasattr(v.grad_fn, "_saved_self") else None)
print(v.grad_fn._saved_exponent)
# %%
x = torch.tensor(1.0, requires_grad=True)
y = x * 2
y.register_hook(lambda g: g * 10)
x.register_hook(lambda g: print("x hook", g))
(y ** 2).backward()
print(x.grad)
print(y.grad)
