import torch
import torch.nn as nn
from torch.func import functional_call, vmap, grad

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 2))
params = {k: v.detach() for k, v in model.named_parameters()}
buffers = {k: v.detach() for k, v in model.named_buffers()}

def compute_loss(params, buffers, sample, target):
    batch = sample.unsqueeze(0)
    targets = target.unsqueeze(0)
    predictions = functional_call(model, (params, buffers), (batch,))
    return nn.functional.cross_entropy(predictions, targets)

data = torch.randn(5, 3)
targets = torch.tensor([0, 1, 1, 0, 1])
ft_compute_grad = grad(compute_loss)
ft_compute_sample_grad = vmap(ft_compute_grad, in_dims=(None, None, 0, 0))
per_sample = ft_compute_sample_grad(params, buffers, data, targets)
for k, g in per_sample.items():
    print(k, tuple(g.shape))
# compare with a loop over samples
for i in range(2):
    model.zero_grad()
    nn.functional.cross_entropy(model(data[i:i+1]), targets[i:i+1]).backward()
    print(torch.allclose(model[0].weight.grad, per_sample["0.weight"][i], atol=1e-6))
numeric(per_sample["2.bias"])
numeric(per_sample["0.weight"].sum(0))
