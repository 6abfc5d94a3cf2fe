import torch
import torch.nn.functional as F

print(torch.hann_window(6), torch.hann_window(6, periodic=False))
print(torch.hamming_window(5), torch.blackman_window(5))
print(torch.bartlett_window(5), torch.kaiser_window(5, periodic=False, beta=8.0))
# %%
torch.manual_seed(0)
x = torch.randn(1, 2, 6, requires_grad=True)
for mode in ["constant", "reflect", "replicate", "circular"]:
    y = F.pad(x, (2, 3), mode=mode) if mode != "constant" else F.pad(x, (2, 3), value=0.5)
    g, = torch.autograd.grad((y * torch.arange(11.0)).sum(), x)
    print(mode, y.shape, y.grad_fn.name(), g[0, 0])
# %%
# upsample a signal with a learned transposed conv and compare to linear interpolation
torch.manual_seed(1)
sig = torch.sin(torch.linspace(0, 6.28, 16)).view(1, 1, -1)
target = F.interpolate(sig, scale_factor=2, mode="linear", align_corners=False)
up = torch.nn.ConvTranspose1d(1, 1, kernel_size=4, stride=2, padding=1, bias=False)
opt = torch.optim.Adam(up.parameters(), lr=0.05)
for it in range(80):
    out = up(sig)
    loss = F.mse_loss(out, target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 20 == 0:
        print(it, out.shape, f"{loss.item():.6f}")
print(up.weight.detach().view(-1).round(decimals=3))
# %%
# windowed framing + energy per frame with unfold on a 1d signal
s = torch.randn(40, requires_grad=True)
frames = s.unfold(0, 8, 4) * torch.hann_window(8)
energy = frames.pow(2).sum(-1)
print(frames.shape, energy.shape, energy.grad_fn.name())
(energy.log()).sum().backward()
print(s.grad[:6])
print(F.conv_transpose1d(torch.ones(1, 1, 3), torch.ones(1, 1, 2), stride=2, output_padding=1))
# %%
# negative padding crops (a causal trim after a padded conv), and crops longer than the signal
torch.manual_seed(2)
s = torch.randn(1, 1, 8, requires_grad=True)
y = F.conv1d(F.pad(s, (2, 2)), torch.ones(1, 1, 3) / 3)
trim = F.pad(y, (0, -2))
print(trim.shape, trim.grad_fn.name())
trim.sum().backward()
print(s.grad)
for pad in [(-3, -3), (-8, 0), (2, -11), (-9, 9), (-5, -4)]:
    try:
        print(pad, F.pad(s, pad).shape)
    except RuntimeError as e:
        print(pad, e)
