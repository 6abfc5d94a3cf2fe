import torch
import torch.nn.functional as F

x = torch.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
w = torch.tensor([0.3, -0.7], requires_grad=True)
y = F.relu(x @ w).exp().sum()
node = y.grad_fn
while node is not None:
    print(type(node).__name__, len(node.next_functions))
    nxt = [f for f, _ in node.next_functions if f is not None]
    node = nxt[0] if nxt else None
# %%
def names(fn, depth=0, seen=None):
    seen = set() if seen is None else seen
    if fn is None or fn in seen:
        return
    seen.add(fn)
    print("  " * depth + fn.name())
    for f, idx in fn.next_functions:
        names(f, depth + 1, seen)

z = torch.cat([x.view(-1), w * 2]).softmax(0)[1:].pow(2).mean()
names(z.grad_fn)
# %%
q = (x.t() - x).abs().max()
names(q.grad_fn)
print([idx for _, idx in q.grad_fn.next_functions])
# %%
s = torch.stack([w, w.flip(0)], dim=1).clamp(min=0).norm()
names(s.grad_fn)
