import math
import torch
import torch.nn.functional as F

torch.manual_seed(0)
# windowed-sinc low-pass filter with a learnable cutoff
n = torch.arange(-10, 11, dtype=torch.float32)
def lowpass(fc):
    h = 2 * fc * torch.sinc(2 * fc * n) * torch.hamming_window(21, periodic=False)
    return h / h.sum()
fc = torch.tensor(0.1, requires_grad=True)
h = lowpass(fc)
print(h[8:13], h.sum(), h.grad_fn.name())
t = torch.arange(200, dtype=torch.float32)
x = torch.sin(2 * math.pi * 0.02 * t) + 0.5 * torch.sin(2 * math.pi * 0.3 * t)
target = torch.sin(2 * math.pi * 0.02 * t)
opt = torch.optim.Adam([fc], lr=0.01)
for it in range(40):
    y = F.conv1d(x.view(1, 1, -1), lowpass(fc).view(1, 1, -1), padding=10).view(-1)
    loss = F.mse_loss(y[20:-20], target[20:-20])
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 10 == 0:
        print(it, f"{loss.item():.5f}", f"{fc.item():.4f}")
print(torch.sinc(torch.tensor([0.0, 0.5, 1.0, -1.5])))
# %%
# cross-correlation to find a delay, then a differentiable soft-argmax estimate
torch.manual_seed(1)
s = torch.randn(64)
delay = 7
r = torch.roll(s, delay) + 0.1 * torch.randn(64)
xc = F.conv1d(F.pad(r.view(1, 1, -1), (0, 63), mode="circular"), s.view(1, 1, -1)).view(-1)
print(xc.shape, xc.argmax().item())
lag = torch.arange(64, dtype=torch.float32)
tau = torch.tensor(0.5, requires_grad=True)
w = torch.softmax(xc / (tau * xc.abs().max()), 0)
est = (w * lag).sum()
est.backward()
print(f"{est.item():.3f}", f"{tau.grad.item():.4f}")
# autocorrelation of a periodic signal via conv1d
p = torch.sin(2 * math.pi * torch.arange(48) / 12).view(1, 1, -1)
ac = F.conv1d(p, p, padding=47).view(-1)[47:]
print((ac / ac[0])[:13].round(decimals=3))
