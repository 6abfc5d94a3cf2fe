import torch
import torch.nn.functional as F

torch.manual_seed(0)
img = torch.randn(1, 1, 6, 6, requires_grad=True)
for mode, kw in [("nearest", {}), ("bilinear", {"align_corners": False}), ("bilinear", {"align_corners": True}), ("bicubic", {"align_corners": False})]:
    up = F.interpolate(img, scale_factor=2, mode=mode, **kw)
    g, = torch.autograd.grad(up.pow(2).sum(), img)
    print(mode, kw, up.shape, round(up.sum().item(), 4), g[0, 0, 0])
down = F.interpolate(img, size=(3, 3), mode="area")
print(down, down.grad_fn.name())
# %%
# patches with unfold, a per-patch loss, and fold back
patches = F.unfold(img, kernel_size=2, stride=2)
print(patches.shape)
patch_var = patches.var(dim=1)
loss = patch_var.mean()
loss.backward(retain_graph=True)
print(img.grad[0, 0, :2])
folded = F.fold(patches, output_size=(6, 6), kernel_size=2, stride=2)
print(torch.equal(folded, img.detach()), folded.grad_fn.name())
# overlapping patches: fold sums overlaps
p2 = F.unfold(img, kernel_size=3, padding=1)
f2 = F.fold(p2, (6, 6), kernel_size=3, padding=1)
print((f2 / img).detach()[0, 0])
# %%
# total-variation denoising by gradient descent
torch.manual_seed(1)
clean = torch.zeros(1, 1, 8, 8)
clean[..., 2:6, 2:6] = 1.0
noisy = clean + 0.2 * torch.randn_like(clean)
u = noisy.clone().requires_grad_(True)
opt = torch.optim.SGD([u], lr=0.1)
for it in range(50):
    tv = (u[..., 1:, :] - u[..., :-1, :]).abs().sum() + (u[..., :, 1:] - u[..., :, :-1]).abs().sum()
    loss = 0.5 * (u - noisy).pow(2).sum() + 0.1 * tv
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 10 == 0:
        print(it, round(loss.item(), 4))
print(F.mse_loss(u, clean).item() < F.mse_loss(noisy, clean).item())
print(u.detach()[0, 0, 3].round(decimals=3))
# %%
x = torch.arange(16.0).view(1, 1, 4, 4).requires_grad_()
u1 = x.unfold(2, 2, 1)
print(u1.shape, u1.grad_fn.name())
u1.sum().backward()
print(x.grad)
y = F.pixel_shuffle(torch.arange(8.0).view(1, 8, 1, 1), 2)
print(y.view(2, 2, 2))
