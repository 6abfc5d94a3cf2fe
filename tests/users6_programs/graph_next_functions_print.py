import torch
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
c = (a * b + a.exp()).sum()
print(c.grad_fn.name())
def walk(fn, depth=0):
    if fn is None:
        print("  " * depth + "None")
        return
    print("  " * depth + fn.name())
    for nxt, idx in fn.next_functions:
        walk(nxt, depth + 1)
walk(c.grad_fn)
# %%
print(type(c.grad_fn.next_functions), len(c.grad_fn.next_functions))
acc = c.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0]
print(acc.name(), acc.variable is a)
m = a.detach() * 2
print(m.grad_fn, m.requires_grad, a.grad_fn, a.is_leaf)
# %%
d = a[0] * 2 + b.mean()
walk(d.grad_fn)
e = torch.stack([a, b]).t().reshape(-1)
walk(e.grad_fn)
