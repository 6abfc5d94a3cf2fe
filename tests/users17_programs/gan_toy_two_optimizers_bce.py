import torch
import torch.nn as nn

torch.manual_seed(0)
G = nn.Sequential(nn.Linear(2, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
D = nn.Sequential(nn.Linear(1, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1), nn.Sigmoid())
criterion = nn.BCELoss()
optG = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
real_label, fake_label = 1.0, 0.0
print(G, D, sep="\n")
# %%
for it in range(30):
    real = torch.randn(16, 1) * 0.5 + 3.0
    noise = torch.randn(16, 2)
    D.zero_grad()
    label = torch.full((16,), real_label, dtype=torch.float)
    out = D(real).view(-1)
    errD_real = criterion(out, label)
    errD_real.backward()
    D_x = out.mean().item()
    fake = G(noise)
    label.fill_(fake_label)
    out = D(fake.detach()).view(-1)
    errD_fake = criterion(out, label)
    errD_fake.backward()
    D_G_z1 = out.mean().item()
    errD = errD_real + errD_fake
    optD.step()
    G.zero_grad()
    label.fill_(real_label)
    out = D(fake).view(-1)
    errG = criterion(out, label)
    errG.backward()
    D_G_z2 = out.mean().item()
    optG.step()
    if it % 10 == 0:
        print('[%d/30] Loss_D: %.4f Loss_G: %.4f D(x): %.4f D(G(z)): %.4f / %.4f'
              % (it, errD.item(), errG.item(), D_x, D_G_z1, D_G_z2))
print(errD.grad_fn, errG.grad_fn, label.requires_grad, fake.requires_grad)
# %%
fake = G(torch.randn(4, 2))
err = criterion(D(fake).view(-1), torch.ones(4))
g_params = list(G.parameters())
grads = torch.autograd.grad(err, g_params, retain_graph=True)
print([tuple(g.shape) for g in grads], [p.grad is None for p in D.parameters()])
# %%
real = torch.randn(4, 1, requires_grad=True)
alpha = torch.rand(4, 1)
interp = (alpha * real + (1 - alpha) * fake.detach()).requires_grad_(True)
d_int = D(interp)
gp_grads = torch.autograd.grad(d_int, interp, grad_outputs=torch.ones_like(d_int), create_graph=True)[0]
gp = ((gp_grads.norm(2, dim=1) - 1) ** 2).mean()
print(gp.grad_fn, gp_grads.shape)
gp.backward()
print(D[0].weight.grad.shape, real.grad)
# %%
criterion(D(fake).view(-1), torch.ones(4, 1))
