import torch

# "how do I see the graph?" -- grad_fn and next_functions
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
c = a * b
d = c.sin() + a
loss = d.mean()
print(loss.grad_fn.name())
print([(type(f).__name__ if f is not None else None, i) for f, i in loss.grad_fn.next_functions])
# %%
def walk(fn, depth=0):
    if fn is None:
        return
    extra = ""
    if hasattr(fn, "variable"):
        extra = f" -> leaf {fn.variable.tolist()}"
    print("  " * depth + fn.name() + extra)
    for nxt, _ in fn.next_functions:
        walk(nxt, depth + 1)

walk(loss.grad_fn)
# %%
# constants show up as None entries
e = a * 2 + torch.ones(2)
print([f is None for f, _ in e.grad_fn.next_functions])
print(e.grad_fn.next_functions[0][0].name())
# %%
# AccumulateGrad holds the leaf itself
acc = c.grad_fn.next_functions[0][0]
print(acc.name(), acc.variable is a)
# %%
# matmul in float64 and a view
m = torch.eye(2, dtype=torch.float64, requires_grad=True)
out = (m @ m.T).view(-1)[1:].sum()
walk(out.grad_fn)
