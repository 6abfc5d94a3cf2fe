import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, vmap, grad
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.Dropout(0.5), nn.Linear(4, 2))
params = {k: v.detach() for k, v in model.named_parameters()}
data = torch.randn(5, 3)
targets = torch.randint(2, (5,))


def compute_loss(params, sample, target):
    out = functional_call(model, params, (sample.unsqueeze(0),))
    return F.cross_entropy(out, target.unsqueeze(0))


vmap(grad(compute_loss), in_dims=(None, 0, 0))(params, data, targets)
# %%
print(torch.randn(2))
g = vmap(grad(compute_loss), in_dims=(None, 0, 0), randomness="same")(params, data, targets)
print({k: tuple(v.shape) for k, v in g.items()})
print(torch.randn(2))
# %%
model.eval()
g = vmap(grad(compute_loss), in_dims=(None, 0, 0))(params, data, targets)
numeric(g["0.weight"])
# %%
vmap(grad(compute_loss), in_dims=(None, 0, 0), randomness="sometimes")(params, data, targets)
