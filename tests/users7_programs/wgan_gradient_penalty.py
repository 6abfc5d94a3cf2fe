import torch
from torch import nn
torch.manual_seed(0)
critic = nn.Sequential(nn.Linear(2, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1))
gen = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 2))
opt_c = torch.optim.Adam(critic.parameters(), lr=1e-3, betas=(0.5, 0.9))
opt_g = torch.optim.Adam(gen.parameters(), lr=1e-3, betas=(0.5, 0.9))

def gradient_penalty(real, fake):
    alpha = torch.rand(real.size(0), 1)
    inter = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    out = critic(inter)
    g, = torch.autograd.grad(out, inter, grad_outputs=torch.ones_like(out), create_graph=True, retain_graph=True)
    return ((g.norm(2, dim=1) - 1) ** 2).mean()

for step in range(6):
    real = torch.randn(16, 2) * 0.5 + torch.tensor([2.0, -1.0])
    z = torch.randn(16, 4)
    fake = gen(z).detach()
    gp = gradient_penalty(real, fake)
    loss_c = critic(fake).mean() - critic(real).mean() + 10 * gp
    opt_c.zero_grad()
    loss_c.backward()
    opt_c.step()
    loss_g = -critic(gen(torch.randn(16, 4))).mean()
    opt_g.zero_grad()
    loss_g.backward()
    opt_g.step()
    print(step, f"{loss_c.item():.4f}", f"{gp.item():.4f}", f"{loss_g.item():.4f}")
# %%
print(gp.grad_fn.name(), loss_c.requires_grad)
print([p.grad is None for p in critic.parameters()])
print(sum(p.grad.abs().sum() for p in gen.parameters()).round(decimals=3))
