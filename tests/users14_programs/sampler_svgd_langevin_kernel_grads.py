import torch

torch.set_default_dtype(torch.float64)
torch.manual_seed(11)

def log_p(x):
    # mixture of two gaussians in 2-d
    a = -0.5 * ((x - torch.tensor([2.0, 0.0])) ** 2).sum(-1)
    b = -0.5 * ((x + torch.tensor([2.0, 0.0])) ** 2).sum(-1)
    return torch.logsumexp(torch.stack([a, b]), dim=0)

def rbf(x, h=None):
    d2 = torch.cdist(x, x) ** 2
    if h is None:
        h = d2.median() / torch.log(torch.tensor(x.shape[0] + 1.0))
    return torch.exp(-d2 / h)

x = torch.randn(20, 2)
for it in range(40):
    x = x.detach().requires_grad_(True)
    score, = torch.autograd.grad(log_p(x).sum(), x)
    K = rbf(x)
    grad_K, = torch.autograd.grad(K.sum(), x)
    phi = (K.detach() @ score + grad_K) / x.shape[0]
    x = x + 0.1 * phi
    if it % 10 == 9:
        print(f"iter {it+1}: mean {x.mean(0).detach()} frac_right {(x[:, 0] > 0).float().mean().item():.2f}")
print(log_p(x.detach()).mean())
# %%
torch.manual_seed(12)
theta = torch.zeros(2, requires_grad=True)
eps = 0.05
samples = []
for t in range(300):
    lp = log_p(theta)
    g, = torch.autograd.grad(lp, theta)
    with torch.no_grad():
        theta += 0.5 * eps * g + (eps ** 0.5) * torch.randn(2)
    samples.append(theta.detach().clone())
S = torch.stack(samples[100:])
print(S.shape, S.mean(0), S.std(0))
print(f"{S[:, 0].abs().mean().item():.4f}")
# %%
# MALA acceptance with the same gradient machinery
torch.manual_seed(13)
def grad_lp(v):
    v = v.detach().requires_grad_(True)
    lp = log_p(v)
    return lp.detach(), torch.autograd.grad(lp, v)[0]
cur = torch.tensor([0.5, 0.5])
lp_cur, g_cur = grad_lp(cur)
acc = 0
for t in range(100):
    prop = cur + 0.5 * 0.3 * g_cur + 0.3 ** 0.5 * torch.randn(2)
    lp_p, g_p = grad_lp(prop)
    fwd = -((prop - cur - 0.15 * g_cur) ** 2).sum() / (4 * 0.15)
    bwd = -((cur - prop - 0.15 * g_p) ** 2).sum() / (4 * 0.15)
    if torch.log(torch.rand(())) < lp_p - lp_cur + bwd - fwd:
        cur, lp_cur, g_cur = prop, lp_p, g_p
        acc += 1
print(acc, cur)
