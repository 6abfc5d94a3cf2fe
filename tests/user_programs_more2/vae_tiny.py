# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Normal, Independent, kl_divergence
torch.manual_seed(0)

class VAE(nn.Module):
    def __init__(self, d=4, z=2, h=8):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(d, h), nn.ReLU())
        self.mu = nn.Linear(h, z)
        self.logvar = nn.Linear(h, z)
        self.dec = nn.Sequential(nn.Linear(z, h), nn.ReLU(), nn.Linear(h, d))

    def forward(self, x):
        hid = self.enc(x)
        mu, logvar = self.mu(hid), self.logvar(hid)
        q = Independent(Normal(mu, torch.exp(0.5 * logvar)), 1)
        z = q.rsample()
        return self.dec(z), q

vae = VAE()
X = torch.randn(32, 4) @ torch.tensor([[1.0, 0.5, 0.0, 0.2], [0.0, 1.0, 0.3, 0.0], [0.0, 0.0, 0.1, 0.0], [0.0, 0.0, 0.0, 0.1]])
prior = Independent(Normal(torch.zeros(2), torch.ones(2)), 1)
opt = torch.optim.Adam(vae.parameters(), lr=1e-2)
for epoch in range(30):
    opt.zero_grad()
    recon, q = vae(X)
    rec = F.mse_loss(recon, X, reduction="sum") / len(X)
    kl = kl_divergence(q, prior).mean()
    loss = rec + kl
    loss.backward()
    opt.step()
    if epoch % 10 == 0:
        print(f"{epoch:3d} loss={loss.item():.4f} rec={rec.item():.4f} kl={kl.item():.4f}")
print(q.batch_shape, q.event_shape, q.base_dist.loc.shape)
numeric([p for p in vae.parameters()])
# %%
# closed-form KL equals the manual formula
mu, logvar = vae.mu(vae.enc(X)), vae.logvar(vae.enc(X))
manual = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)
print(torch.allclose(manual, kl_divergence(Independent(Normal(mu, (0.5 * logvar).exp()), 1), prior), atol=1e-5))
with torch.no_grad():
    z = prior.sample((3,))
    print(vae.dec(z).shape, z.shape)
# %%
# gumbel-softmax relaxation
logits = torch.tensor([[1.0, 2.0, 0.5]], requires_grad=True)
torch.manual_seed(3)
y_soft = F.gumbel_softmax(logits, tau=0.5)
torch.manual_seed(3)
y_hard = F.gumbel_softmax(logits, tau=0.5, hard=True)
print(y_soft, y_hard)
(y_hard * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print(logits.grad)
