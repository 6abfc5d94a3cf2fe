import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
CH = 4
sobel_x = torch.tensor([[-1., 0., 1.], [-2., 0., 2.], [-1., 0., 1.]]) / 8.0
ident = torch.tensor([[0., 0., 0.], [0., 1., 0.], [0., 0., 0.]])
kernel = torch.stack([ident, sobel_x, sobel_x.T])
kernel = kernel.repeat(CH, 1, 1)[:, None]
print(kernel.shape, kernel.is_contiguous())

def perceive(x):
    return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="circular"), kernel, groups=CH)

class NCA(nn.Module):
    def __init__(self):
        super().__init__()
        self.w1 = nn.Conv2d(CH * 3, 16, 1)
        self.w2 = nn.Conv2d(16, CH, 1, bias=False)
        with torch.no_grad():
            self.w2.weight.zero_()
    def forward(self, x, fire_rate=0.5):
        alive_pre = F.max_pool2d(x[:, 3:4], 3, 1, 1) > 0.1
        dx = self.w2(F.relu(self.w1(perceive(x))))
        mask = (torch.rand(x[:, :1].shape) <= fire_rate).float()
        x = x + dx * mask
        alive = alive_pre & (F.max_pool2d(x[:, 3:4], 3, 1, 1) > 0.1)
        return x * alive.float()

x = torch.zeros(1, CH, 8, 8)
x[:, 3:, 4, 4] = 1.0
print(perceive(x)[0, :3, 3:6, 3:6])
# %%
nca = NCA()
print(nca, sum(p.numel() for p in nca.parameters()))
y = x
for _ in range(4):
    y = nca(y)
print(y.shape, y.grad_fn, (y[:, 3] > 0.1).sum())
target = torch.zeros(1, CH, 8, 8)
target[:, :, 3:6, 3:6] = 1.0
loss = F.mse_loss(y, target)
loss.backward()
print(loss, nca.w2.weight.grad.abs().sum(), nca.w1.weight.grad.abs().sum())
# %%
opt = torch.optim.Adam(nca.parameters(), lr=2e-3)
for it in range(8):
    opt.zero_grad()
    y = x
    for _ in range(torch.randint(3, 6, (1,)).item()):
        y = nca(y)
    loss = F.mse_loss(y[:, :4], target)
    loss.backward()
    for p in nca.parameters():
        p.grad.data = p.grad.data / (p.grad.data.norm() + 1e-8)
    opt.step()
    if it % 3 == 0:
        print(it, f"{loss.item():.5f}")
# %%
print(F.pad(torch.arange(9.).view(1, 1, 3, 3), (1, 1, 1, 1), mode="circular"))
print(F.max_pool2d(torch.arange(16.).view(1, 1, 4, 4), 3, 1, 1))
# %%
F.pad(torch.arange(9.).view(1, 1, 3, 3), (4, 4, 1, 1), mode="circular")
