import torch
from torch import nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).double()
opts = {p: torch.optim.SGD([p], lr=0.1) for p in model.parameters()}
order = []
def step_now(p):
    order.append(tuple(p.shape))
    opts[p].step()
    opts[p].zero_grad()
for p in model.parameters():
    p.register_post_accumulate_grad_hook(step_now)
x = torch.randn(5, 3, dtype=torch.float64)
for i in range(2):
    loss = model(x).pow(2).mean()
    loss.backward()
    print(i, round(loss.item(), 10), [p.grad for p in model.parameters()][0])
print(order)
# %%
h = model[0].bias.register_post_accumulate_grad_hook(lambda p: print("bias grad ready", p.grad is None))
model(x).sum().backward()
h.remove()
try:
    (model(x).sum() * 2).grad_fn.register_hook(5)
except TypeError as e:
    print(type(e).__name__, e)
