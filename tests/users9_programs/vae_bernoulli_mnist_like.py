import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
class VAE(nn.Module):
    def __init__(self, d=16, z=2):
        super().__init__()
        self.enc = nn.Linear(d, 8)
        self.mu = nn.Linear(8, z)
        self.logvar = nn.Linear(8, z)
        self.dec = nn.Sequential(nn.Linear(z, 8), nn.ReLU(), nn.Linear(8, d))
    def forward(self, x):
        h = F.relu(self.enc(x))
        mu, logvar = self.mu(h), self.logvar(h)
        std = torch.exp(0.5 * logvar)
        z = mu + std * torch.randn_like(std)
        return self.dec(z), mu, logvar

def loss_function(recon_logits, x, mu, logvar):
    bce = F.binary_cross_entropy_with_logits(recon_logits, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld, bce, kld

model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
data = (torch.rand(32, 16) > 0.5).float()
for epoch in range(3):
    opt.zero_grad()
    recon, mu, logvar = model(data)
    loss, bce, kld = loss_function(recon, data, mu, logvar)
    loss.backward()
    opt.step()
    print(f"epoch {epoch}: loss {loss.item() / len(data):.3f} bce {bce.item():.2f} kld {kld.item():.3f}")
model.eval()
with torch.no_grad():
    sample = torch.sigmoid(model.dec(torch.zeros(1, 2)))
numeric(sample)
