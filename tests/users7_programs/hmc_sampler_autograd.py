import torch
torch.manual_seed(1)

mu = torch.tensor([1.0, -2.0])
cov = torch.tensor([[1.0, 0.8], [0.8, 2.0]])
prec = torch.linalg.inv(cov)

def log_prob(x):
    d = x - mu
    return -0.5 * d @ prec @ d

def grad_log_prob(x):
    x = x.detach().requires_grad_()
    lp = log_prob(x)
    lp.backward()
    return lp.detach(), x.grad

def hmc_step(x, step_size=0.2, n_leapfrog=10):
    p = torch.randn_like(x)
    lp0, g = grad_log_prob(x)
    H0 = -lp0 + 0.5 * p.dot(p)
    x_new = x.clone()
    p_new = p + 0.5 * step_size * g
    for _ in range(n_leapfrog):
        x_new = x_new + step_size * p_new
        lp, g = grad_log_prob(x_new)
        p_new = p_new + step_size * g
    p_new = p_new - 0.5 * step_size * g
    H1 = -lp + 0.5 * p_new.dot(p_new)
    accept = torch.rand(()) < torch.exp(H0 - H1)
    return (x_new if accept else x), bool(accept)

x = torch.zeros(2)
samples = []
acc = 0
for i in range(300):
    x, a = hmc_step(x)
    acc += a
    samples.append(x)
samples = torch.stack(samples[50:])
print("acceptance", acc / 300)
print("mean", samples.mean(0).numpy().round(1))
print("cov", torch.cov(samples.T).numpy().round(0))
print(samples.shape)
# %%
# Langevin dynamics (ULA) with autograd.grad
torch.manual_seed(2)
x = torch.zeros(500, 2, requires_grad=True)
eta = 0.05
for t in range(200):
    lp = -0.5 * (((x - mu) @ prec) * (x - mu)).sum()
    g, = torch.autograd.grad(lp, x)
    with torch.no_grad():
        x += eta * g + (2 * eta) ** 0.5 * torch.randn_like(x)
print(x.requires_grad, x.grad)
print(x.mean(0).detach().numpy().round(0))
print(torch.var(x.detach(), dim=0).round(decimals=0))
