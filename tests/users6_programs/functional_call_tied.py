import torch
from torch import nn
from torch.func import functional_call, grad
torch.manual_seed(0)
class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(5, 3)
        self.out = nn.Linear(3, 5, bias=False)
        self.out.weight = self.emb.weight
        self.register_buffer("scale", torch.tensor(2.0))
    def forward(self, idx):
        return self.out(self.emb(idx)) * self.scale
m = Tied().double()
idx = torch.tensor([0, 3, 4])
params = dict(m.named_parameters())
print(list(params))
new_w = torch.ones(5, 3, dtype=torch.float64)
out = functional_call(m, {"emb.weight": new_w}, (idx,))
print(out)
out2 = functional_call(m, ({"emb.weight": new_w}, {"scale": torch.tensor(1.0, dtype=torch.float64)}), (idx,))
print(out2[0])
# %%
try:
    functional_call(m, {"emb.weight": new_w, "out.weight": new_w * 2}, (idx,))
except ValueError as e:
    print(type(e).__name__, e)
out3 = functional_call(m, {"emb.weight": new_w, "out.weight": new_w * 2}, (idx,), tie_weights=False)
print(out3[0])
# %%
def loss(p, i):
    return functional_call(m, p, (i,)).pow(2).mean()
g = grad(loss)({k: v.detach() for k, v in params.items()}, idx)
print(g["emb.weight"])
m.scale.fill_(3.0)
print(functional_call(m, {}, (idx[:1],)))
try:
    functional_call(m, {"nope": torch.zeros(1)}, (idx,), strict=True)
except RuntimeError as e:
    print(type(e).__name__, str(e)[:200])
