import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, vmap, grad, grad_and_value
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3))
params = {k: v.detach() for k, v in model.named_parameters()}
data = torch.randn(5, 4)
targets = torch.tensor([0, 2, 1, 1, 0])


def compute_loss(params, sample, target):
    out = functional_call(model, params, (sample.unsqueeze(0),))
    return F.cross_entropy(out, target.unsqueeze(0))


per_sample = vmap(grad(compute_loss), in_dims=(None, 0, 0))(params, data, targets)
norms = torch.stack([g.flatten(1).norm(dim=1) for g in per_sample.values()]).norm(dim=0)
print(norms)
max_norm = 0.5
factors = (max_norm / (norms + 1e-6)).clamp(max=1.0)
clipped = {k: (g * factors.view(-1, *[1] * (g.dim() - 1))).sum(0) / len(data) for k, g in per_sample.items()}
numeric(clipped["0.weight"])
numeric(clipped["2.bias"])
# %%
gv = vmap(grad_and_value(compute_loss), in_dims=(None, 0, 0))(params, data, targets)
grads, losses = gv
print(losses)
numeric(losses)
# %%
def loss_with_aux(params, sample, target):
    out = functional_call(model, params, (sample.unsqueeze(0),))
    loss = F.cross_entropy(out, target.unsqueeze(0))
    return loss, out.argmax(1)


g, preds = vmap(grad(loss_with_aux, has_aux=True), in_dims=(None, 0, 0))(params, data, targets)
print(preds, preds.dtype, preds.shape)
# %%
per_sample_chunks = vmap(grad(compute_loss), in_dims=(None, 0, 0), chunk_size=2)(params, data, targets)
print(all(torch.allclose(per_sample_chunks[k], per_sample[k]) for k in per_sample))
# %%
vmap(grad(compute_loss), in_dims=(None, 0))(params, data, targets)
# %%
vmap(grad(compute_loss), in_dims=(None, 0, 1))(params, data, targets)
