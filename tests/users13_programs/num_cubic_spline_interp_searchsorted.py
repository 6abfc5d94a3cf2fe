import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
# natural cubic spline through (xk, yk): solve for the second derivatives
xk = torch.tensor([0.0, 0.7, 1.5, 2.1, 3.0, 4.2])
yk = torch.sin(xk).requires_grad_()
n = xk.numel()
h = xk[1:] - xk[:-1]
A = torch.zeros(n, n)
A[0, 0] = A[-1, -1] = 1.0
idx = torch.arange(1, n - 1)
A[idx, idx - 1] = h[:-1]
A[idx, idx] = 2 * (h[:-1] + h[1:])
A[idx, idx + 1] = h[1:]
print(A)
rhs = torch.zeros(n)
rhs = torch.cat([torch.zeros(1), 6 * ((yk[2:] - yk[1:-1]) / h[1:] - (yk[1:-1] - yk[:-2]) / h[:-1]), torch.zeros(1)])
m = torch.linalg.solve(A, rhs)
print(m)

def spline(xq):
    i = torch.searchsorted(xk, xq, right=True).clamp(1, n - 1) - 1
    x0, x1, hi = xk[i], xk[i + 1], h[i]
    t0, t1 = x1 - xq, xq - x0
    return (m[i] * t0 ** 3 + m[i + 1] * t1 ** 3) / (6 * hi) + (yk[i] / hi - m[i] * hi / 6) * t0 \
        + (yk[i + 1] / hi - m[i + 1] * hi / 6) * t1

xq = torch.linspace(0, 4.2, 9)
s = spline(xq)
print(s)
print((s - torch.sin(xq)).abs().max())
s.sum().backward()
print(yk.grad)
# %%
# piecewise-linear interpolation (np.interp by hand) with bucketize
xp = torch.tensor([1.0, 2.0, 4.0, 8.0])
fp = torch.tensor([10.0, 20.0, 0.0, 5.0], requires_grad=True)
q = torch.tensor([0.5, 1.0, 1.5, 3.0, 4.0, 7.9, 9.0])
j = torch.bucketize(q, xp)
print(j, torch.bucketize(q, xp, right=True), torch.searchsorted(xp, q, side='right'))
j = j.clamp(1, len(xp) - 1)
w = ((q - xp[j - 1]) / (xp[j] - xp[j - 1])).clamp(0, 1)
interp = torch.lerp(fp[j - 1], fp[j], w)
print(interp)
interp.sum().backward()
print(fp.grad)
print(torch.searchsorted(xp, torch.tensor([[2.0, 3.0], [8.0, 0.0]])), torch.searchsorted(xp, 4.0))
print(torch.searchsorted(xp, q, sorter=torch.arange(4)), torch.searchsorted(xp.int(), torch.tensor([3])))
print(torch.searchsorted(xp, q, out_int32=True).dtype)
# %%
# tridiagonal solve via the Thomas algorithm versus linalg.solve, gradients through both
n = 6
d = torch.full((n,), 4.0, requires_grad=True)
off = torch.ones(n - 1)
b = torch.arange(1.0, n + 1)
T = torch.diag(d) + torch.diag(off, 1) + torch.diag(off, -1)
x_ref = torch.linalg.solve(T, b)
cp, dp = [], []
for i in range(n):
    denom = d[i] - (off[i - 1] * cp[i - 1] if i > 0 else 0)
    cp.append(off[i] / denom if i < n - 1 else torch.tensor(0.0))
    dp.append((b[i] - (off[i - 1] * dp[i - 1] if i > 0 else 0)) / denom)
xs = [dp[-1]]
for i in range(n - 2, -1, -1):
    xs.insert(0, dp[i] - cp[i] * xs[0])
x_th = torch.stack(xs)
print(x_ref, x_th)
g_ref, = torch.autograd.grad(x_ref.sum(), d)
g_th, = torch.autograd.grad(x_th.sum(), d)
print(g_ref, torch.allclose(g_ref, g_th))
# %%
torch.searchsorted(torch.tensor([3.0, 1.0]), torch.tensor([[1.0]]))
# %%
torch.searchsorted(torch.tensor([1.0, 3.0]), torch.tensor([1]), side='left', right=True)
# %%
torch.bucketize(torch.tensor([1.0]), torch.tensor([[1.0, 2.0]]))
# %%
torch.searchsorted(torch.ones(2, 3), torch.ones(3, 2))
# %%
torch.searchsorted(xp, q, sorter=torch.tensor([0, 1, 2, 3], dtype=torch.int32))
# %%
torch.searchsorted(xp, q, side='middle')
