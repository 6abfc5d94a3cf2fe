import torch
from torch import nn
torch.manual_seed(0)
def fresh():
    m = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    x = torch.randn(5, 3, dtype=torch.float64)
    (m(x) ** 2).sum().mul(10).backward()
    return m
m = fresh()
for kw in [dict(max_norm=1.0), dict(max_norm=1.0, norm_type=1), dict(max_norm=0.5, norm_type=float("inf")),
           dict(max_norm=1.0, foreach=True), dict(max_norm=1.0, foreach=False)]:
    mm = fresh()
    total = nn.utils.clip_grad_norm_(mm.parameters(), **kw)
    print(kw, total, mm[0].weight.grad.norm())
# %%
mm = fresh()
nn.utils.clip_grad_value_(mm.parameters(), clip_value=0.1)
print(mm[2].bias.grad)
mm = fresh()
nn.utils.clip_grad_value_(mm.parameters(), clip_value=0.1, foreach=True)
print(mm[2].weight.grad)
# %%
mm = fresh()
mm[0].weight.grad[0, 0] = float("nan")
try:
    nn.utils.clip_grad_norm_(mm.parameters(), 1.0, error_if_nonfinite=True)
except RuntimeError as e:
    print(type(e).__name__, e)
print(nn.utils.clip_grad_norm_(mm.parameters(), 1.0))
print(nn.utils.clip_grad_norm_([], 1.0))
p = torch.zeros(2, requires_grad=True)
print(nn.utils.clip_grad_norm_(p, 1.0))
print(nn.utils.get_total_norm([torch.ones(3), torch.ones(4)], norm_type=2.0))
