# ruff: noqa: F821
import torch
torch.set_default_dtype(torch.float64)

# numerical integration with trapezoid rules and cumulative sums; gradients w.r.t. a parameter
a = torch.tensor(1.5, requires_grad=True)
t = torch.linspace(0, 2, 41)
f = torch.exp(-a * t) * torch.sin(3 * t)
I1 = torch.trapezoid(f, t)
I2 = torch.trapz(f, dx=t[1] - t[0])
cum = torch.cumulative_trapezoid(f, t)
print(f"{I1.item():.10f} {I2.item():.10f}", cum.shape, torch.allclose(cum[-1], I1))
(dI,) = torch.autograd.grad(I1, a, retain_graph=True)
exact = lambda a: 3 / (a ** 2 + 9) * (1 - torch.exp(-2 * a) * (torch.cos(torch.tensor(6.0)) + a / 3 * torch.sin(torch.tensor(6.0))))
print(f"{exact(a).item():.6f}", f"{dI.item():.8f}")
numeric([I1, I2, cum, dI])
# %%
d = torch.diff(f)
d2 = torch.diff(f, n=2, prepend=f[:1], append=f[-1:])
cs = torch.cumsum(f, 0).flip(0)
rev = torch.flip(torch.cumsum(torch.flip(f, [0]), 0), [0])
(d.sum() + d2.pow(2).sum() + cs.mean() + rev[0]).backward()
print(d.shape, d2.shape, a.grad)
numeric([d, d2, rev, a.grad])
