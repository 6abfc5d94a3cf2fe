import torch
import torch.nn as nn
from torch.nn.utils import spectral_norm, weight_norm

torch.manual_seed(0)
disc = nn.Sequential(spectral_norm(nn.Linear(4, 8)), nn.LeakyReLU(0.2), spectral_norm(nn.Linear(8, 1)))
print([n for n, _ in disc.named_parameters()])
print([n for n, _ in disc.named_buffers()])
x = torch.randn(5, 4)
out = disc(x)
out.mean().backward()
numeric(out)
numeric(disc[0].weight_orig.grad)
w = disc[0].weight
print(torch.linalg.matrix_norm(w, ord=2).item() < 1.01)
# %%
torch.manual_seed(1)
lin = weight_norm(nn.Linear(3, 2), name="weight")
print(lin.weight_g.shape, lin.weight_v.shape)
y = lin(torch.ones(1, 3))
y.sum().backward()
numeric(lin.weight_g.grad)
numeric(lin.weight_v.grad)
nn.utils.remove_weight_norm(lin)
print([n for n, _ in lin.named_parameters()])
