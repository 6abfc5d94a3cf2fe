import torch
import torch.nn.functional as F

torch.manual_seed(0)
img = torch.zeros(1, 1, 8, 8)
img[..., 2:6, 3:7] = 1.0
img = img + 0.05 * torch.randn_like(img)
img.requires_grad_()
sx = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
k = torch.stack([sx, sx.T]).unsqueeze(1)
edges = F.conv2d(img, k, padding=1)
mag = torch.sqrt(edges.pow(2).sum(1) + 1e-8)
print(edges.shape, mag.shape, mag.grad_fn.name())
print(mag[0, 3].detach())
mag.mean().backward()
print(img.grad[0, 0, 2])
# %%
# Gaussian blur, separable vs 2d, and gradients
def gauss(sigma, r=2):
    x = torch.arange(-r, r + 1, dtype=torch.float32)
    w = torch.exp(-x ** 2 / (2 * sigma ** 2))
    return w / w.sum()
sig = torch.tensor(1.0, requires_grad=True)
g1 = gauss(sig)
k2 = torch.outer(g1, g1).view(1, 1, 5, 5)
b2 = F.conv2d(img.detach(), k2, padding=2)
bs = F.conv2d(F.conv2d(img.detach(), g1.view(1, 1, 1, 5), padding=(0, 2)), g1.view(1, 1, 5, 1), padding=(2, 0))
print(torch.allclose(b2, bs, atol=1e-6))
b2.var().backward()
print(sig.grad)
# %%
# learn a 3x3 kernel that reproduces the Laplacian
lap = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]).view(1, 1, 3, 3)
data = torch.randn(4, 1, 10, 10)
target = F.conv2d(data, lap)
kern = torch.zeros(1, 1, 3, 3, requires_grad=True)
opt = torch.optim.Adam([kern], lr=0.1)
for it in range(120):
    loss = F.mse_loss(F.conv2d(data, kern), target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 30 == 0:
        print(it, f"{loss.item():.6f}")
print(kern.detach().view(3, 3).round(decimals=2))
# %%
# max and avg pooling pyramids, nonzero-mean image stats
pyr = [img.detach()]
for _ in range(2):
    pyr.append(F.avg_pool2d(pyr[-1], 2))
print([p.shape[-1] for p in pyr], [round(p.mean().item(), 5) for p in pyr])
mp, idx = F.max_pool2d(img, 2, return_indices=True)
print(idx[0, 0])
print(F.adaptive_avg_pool2d(img, (3, 3)).shape)
