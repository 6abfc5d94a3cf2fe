import torch
import numpy as np
rng = np.random.default_rng(0)
torch.set_default_dtype(torch.float64)
def logp(q):
    return -0.5 * (q ** 2).sum() - 0.1 * (q ** 4).sum()
q = torch.tensor(rng.normal(size=3), requires_grad=True)
noise = [torch.tensor(rng.normal(size=3)) for _ in range(5)]
eps = 0.1
samples = []
for it in range(5):
    p = noise[it].clone()
    q0 = q.detach().clone()
    for l in range(10):
        lp = logp(q)
        g, = torch.autograd.grad(lp, q)
        with torch.no_grad():
            p += 0.5 * eps * g
            q += eps * p
        lp = logp(q)
        g, = torch.autograd.grad(lp, q)
        with torch.no_grad():
            p += 0.5 * eps * g
    samples.append(q.detach().clone())
S = torch.stack(samples)
print(S)
print(S.mean(0), S.std(0))
print(S.shape, S.dtype, q.requires_grad, q.grad)
torch.set_default_dtype(torch.float32)
