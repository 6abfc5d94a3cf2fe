import torch
import torch.nn as nn

torch.manual_seed(0)
class Block(nn.Module):
    def __init__(self, d, p=0.0):
        super().__init__()
        self.fc = nn.Linear(d, d)
        self.norm = nn.LayerNorm(d)
        self.p = p
        self.register_buffer("steps", torch.zeros((), dtype=torch.long))
    def extra_repr(self):
        return f"p={self.p}"
    def forward(self, x):
        self.steps += 1
        return self.norm(x + torch.relu(self.fc(x)))

net = nn.Sequential(Block(4, 0.1), Block(4), nn.Linear(4, 1))
print(net)
for n, p in net.named_parameters():
    print(n, tuple(p.shape), p.requires_grad)
print(list(net.state_dict().keys()))
print(net[0].steps, net.state_dict()["0.steps"].dtype)
# %%
x = torch.randn(3, 4)
out = net(x).mean()
def walk(fn, depth=0, seen=None):
    seen = set() if seen is None else seen
    if fn is None or fn in seen or depth > 6:
        return
    seen.add(fn)
    print("  " * depth + fn.name())
    for nxt, _ in fn.next_functions:
        walk(nxt, depth + 1, seen)
walk(out.grad_fn)
print(net[0].steps)
# %%
out.backward()
for n, p in net.named_parameters():
    if "norm" in n:
        print(n, p.grad.norm().item() > 0)
print(net[2].weight.grad.shape)
acc = out.grad_fn
while acc.next_functions:
    acc = acc.next_functions[0][0]
    if acc is None:
        break
    last = acc
print(type(last).__name__, hasattr(last, "variable"))
sd = net[2].state_dict()
print(sd)
print({k: v.shape for k, v in net.state_dict(keep_vars=True).items() if v.requires_grad})
