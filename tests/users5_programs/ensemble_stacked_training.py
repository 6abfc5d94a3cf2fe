import torch
from torch import nn
from torch.func import functional_call, stack_module_state, vmap
torch.manual_seed(0)
models = [nn.Linear(3, 1) for _ in range(4)]
params, bufs = stack_module_state(models)
base = nn.Linear(3, 1)
x = torch.randn(8, 3)
y = torch.randn(8, 1)
def loss(p, b):
    return ((functional_call(base, (p, b), (x,)) - y) ** 2).mean()
opt = torch.optim.SGD(params.values(), lr=0.1)
for step in range(3):
    opt.zero_grad()
    losses = vmap(loss)(params, bufs)
    losses.sum().backward()
    opt.step()
    print(step, [f"{v:.5f}" for v in losses.tolist()])
# %%
class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(2, 2, bias=False)
        self.b = self.a
    def forward(self, x):
        return self.b(self.a(x))
t = Tied()
w = torch.eye(2) * 3
print(functional_call(t, {"a.weight": w}, (torch.ones(1, 2),)))
print(functional_call(t, {"a.weight": w}, (torch.ones(1, 2),), tie_weights=False))
