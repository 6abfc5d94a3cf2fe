import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(31)

class STN(nn.Module):
    """A spatial transformer: a localisation net predicts an affine warp."""
    def __init__(self, padding_mode="border"):
        super().__init__()
        self.loc = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(16, 6))
        nn.init.zeros_(self.loc[-1].weight)
        with torch.no_grad():
            self.loc[-1].bias.copy_(torch.tensor([1.0, 0.0, 0.0, 0.0, 1.0, 0.0]))
        self.padding_mode = padding_mode

    def forward(self, x):
        theta = self.loc(x).view(-1, 2, 3)
        grid = F.affine_grid(theta, x.shape, align_corners=False)
        return F.grid_sample(x, grid, padding_mode=self.padding_mode, align_corners=False)

imgs = torch.zeros(3, 1, 6, 6)
imgs[:, :, 1:4, 2:5] = 1.0
target = torch.roll(imgs, shifts=(1, -1), dims=(2, 3))
for mode in ["zeros", "border", "reflection"]:
    torch.manual_seed(0)
    stn = STN(mode)
    opt = torch.optim.Adam(stn.parameters(), lr=0.05)
    for step in range(4):
        out = stn(imgs)
        loss = F.mse_loss(out, target)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"{mode:10s} loss {loss.item():.6f} bias {stn.loc[-1].bias.detach()}")
# %%
# gradients of a fixed warp w.r.t. theta, float64, every padding mode
x = torch.randn(1, 2, 4, 4, dtype=torch.float64)
theta = torch.tensor([[[0.9, -0.1, 0.05], [0.1, 1.1, -0.05]]], dtype=torch.float64, requires_grad=True)
for mode in ["zeros", "border", "reflection"]:
    for ac in [False, True]:
        grid = F.affine_grid(theta, (1, 2, 4, 4), align_corners=ac)
        s = F.grid_sample(x, grid, padding_mode=mode, align_corners=ac)
        g, = torch.autograd.grad(s.pow(2).sum(), theta)
        print(mode, ac, s.grad_fn.name(), g.flatten())
# %%
# interpolation modes and their gradients
img = torch.randn(1, 1, 3, 4, dtype=torch.float64, requires_grad=True)
for mode, kw in [("nearest", {}), ("bilinear", {"align_corners": True}), ("bicubic", {"align_corners": False}),
                 ("area", {}), ("nearest-exact", {})]:
    up = F.interpolate(img, scale_factor=2, mode=mode, **kw)
    g, = torch.autograd.grad((up * torch.arange(48.0, dtype=torch.float64).view(1, 1, 6, 8)).sum(), img)
    print(f"{mode:14s} {up.grad_fn.name():32s} {g.flatten()[:4]}")
