# ruff: noqa: F821
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(66)

# a siamese encoder with a contrastive loss; the same module applied twice accumulates both gradients
enc = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
x1, x2 = torch.randn(10, 4), torch.randn(10, 4)
same = (torch.rand(10) > 0.5).float()
opt = torch.optim.Adam(enc.parameters(), lr=0.01)
for it in range(25):
    z1, z2 = enc(x1), enc(x2)
    d = F.pairwise_distance(z1, z2)
    loss = (same * d ** 2 + (1 - same) * F.relu(1.0 - d) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"{loss.item():.6f}", d.shape)
numeric([loss, d, enc[0].weight.grad])
# %%
tied = nn.Linear(3, 3, bias=False)
model = nn.Sequential(tied, nn.Tanh(), tied)
print(len(list(model.parameters())), len(model.state_dict()), list(model.state_dict().keys()))
out = model(torch.ones(1, 3))
out.sum().backward()
print(tied.weight.grad.shape, model[0].weight is model[2].weight)
numeric([out, tied.weight.grad])
trip = F.triplet_margin_loss(enc(x1[:3]), enc(x2[:3]), enc(x1[3:6]), margin=0.5, p=1)
cos = F.cosine_embedding_loss(enc(x1), enc(x2), same * 2 - 1)
print(f"{trip.item():.6f} {cos.item():.6f}")
numeric([trip, cos])
