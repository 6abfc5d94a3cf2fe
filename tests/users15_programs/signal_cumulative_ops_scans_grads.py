import torch

torch.manual_seed(0)
x = torch.randn(8, requires_grad=True)
for name, fn in [("cumsum", lambda v: v.cumsum(0)), ("cumprod", lambda v: v.cumprod(0)),
                 ("cummax", lambda v: v.cummax(0).values), ("cummin", lambda v: v.cummin(0).values),
                 ("logcumsumexp", lambda v: v.logcumsumexp(0))]:
    out = fn(x)
    g, = torch.autograd.grad(out.sum(), x)
    print(name, out.grad_fn.name(), out.detach()[-3:], g)
print(x.cummax(0))
# %%
# exponential moving average as a scan, gradient to the smoothing factor
a = torch.tensor(0.3, requires_grad=True)
sig = torch.sin(torch.linspace(0, 6.28, 30)) + 0.2 * torch.randn(30)
ema = [sig[0]]
for t in range(1, 30):
    ema.append(a * sig[t] + (1 - a) * ema[-1])
ema = torch.stack(ema)
loss = (ema[1:] - sig[:-1]).pow(2).mean()
loss.backward()
print(round(loss.item(), 6), a.grad)
# the same with a discounted-return reverse cumsum
r = torch.tensor([1.0, 0.0, 0.0, 2.0, 1.0])
gamma = torch.tensor(0.9, requires_grad=True)
n = r.shape[0]
pw = gamma ** torch.arange(n, dtype=torch.float32)
ret = torch.flip(torch.cumsum(torch.flip(r * pw, [0]), 0), [0]) / pw
print(ret)
ret[0].backward()
print(gamma.grad)
# %%
# diff / cumsum roundtrip and trapezoid
y = torch.linspace(0, 1, 11).pow(2).requires_grad_()
d = torch.diff(y, prepend=torch.zeros(1))
print(torch.allclose(d.cumsum(0), y))
tz = torch.trapezoid(y, dx=0.1)
ctz = torch.cumulative_trapezoid(y, dx=0.1)
print(tz, ctz[-1], ctz.grad_fn.name())
(tz + ctz.sum()).backward()
print(y.grad)
