import torch
from torch import nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
x = torch.randn(32, 4)
y = torch.randint(0, 3, (32,))
norms = []
for step in range(5):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    norms.append(nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5))
    opt.step()
    print(step, f"{loss.item():.4f}", f"{norms[-1].item():.4f}")
print(norms[0].dtype, norms[0].shape)
