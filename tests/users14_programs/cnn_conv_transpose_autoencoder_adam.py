import torch
import torch.nn as nn

torch.manual_seed(1)
enc = nn.Sequential(
    nn.Conv2d(1, 4, 3, stride=2, padding=1),
    nn.LeakyReLU(0.1),
    nn.Conv2d(4, 8, 3, stride=2, padding=1),
    nn.Tanh(),
)
dec = nn.Sequential(
    nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1),
    nn.ReLU(),
    nn.ConvTranspose2d(4, 1, 4, stride=2, padding=1),
    nn.Sigmoid(),
)
x = torch.rand(4, 1, 8, 8)
z = enc(x)
print(z.shape, z.grad_fn.name())
r = dec(z)
print(r.shape, r.grad_fn.name())
print(dec)
# %%
params = list(enc.parameters()) + list(dec.parameters())
opt = torch.optim.Adam(params, lr=1e-2)
for epoch in range(5):
    opt.zero_grad()
    recon = dec(enc(x))
    loss = nn.functional.mse_loss(recon, x)
    loss.backward()
    gnorm = torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    print(f"epoch {epoch}: loss={loss.item():.6f} grad_norm={gnorm:.4f}")
# %%
w = dec[0].weight
print(w.shape, dec[0].bias.shape)
print(w.grad.sum(dim=(2, 3)))
ct = nn.ConvTranspose2d(2, 3, kernel_size=2, stride=2, groups=1, bias=False)
inp = torch.randn(1, 2, 3, 3, requires_grad=True)
out = ct(inp)
print(out.shape)
out.pow(2).sum().backward()
print(inp.grad)
print(ct.weight.grad.shape)
# %%
# output_size argument
up = nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1)
a = torch.randn(1, 1, 4, 4)
print(up(a).shape, up(a, output_size=[8, 8]).shape)
up(a, output_size=[10, 10])
