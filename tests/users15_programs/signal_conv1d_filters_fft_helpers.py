import math
import torch
import torch.nn.functional as F

torch.manual_seed(0)
n = 64
t = torch.arange(n) / n
clean = torch.sin(2 * math.pi * 3 * t)
noisy = clean + 0.3 * torch.randn(n)
print(torch.fft.fftfreq(8), torch.fft.rfftfreq(8, d=0.5))
print(torch.fft.fftshift(torch.fft.fftfreq(6)))
# learn a 7-tap FIR filter to denoise
w = torch.zeros(1, 1, 7, requires_grad=True)
opt = torch.optim.Adam([w], lr=0.05)
for it in range(100):
    out = F.conv1d(noisy.view(1, 1, -1), w, padding=3).view(-1)
    loss = F.mse_loss(out, clean)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 25 == 0:
        print(it, round(loss.item(), 6))
print(w.detach().view(-1))
print(out.grad_fn.name())
# %%
# cumsum-based integral and derivative
x = torch.linspace(0, math.pi, 101, requires_grad=True)
y = torch.sin(x)
dx = x[1] - x[0]
integral = torch.cumsum((y[1:] + y[:-1]) * 0.5 * dx, 0)
print(integral[-1], integral.grad_fn.name())
integral[-1].backward()
print(x.grad[:4], x.grad[-3:])
deriv = torch.diff(torch.sin(x.detach())) / dx.detach()
print(deriv[:3])
# %%
# moving average via conv1d with groups and replicate padding
sig = torch.randn(2, 3, 10, requires_grad=True)
ker = torch.ones(3, 1, 3) / 3
padded = F.pad(sig, (1, 1), mode="replicate")
sm = F.conv1d(padded, ker, groups=3)
print(sm.shape, sm[0, 0])
sm.sum().backward()
print(sig.grad[0, 0])
