import torch
from torch.distributions import Gamma, Weibull

torch.manual_seed(0)
true = Gamma(torch.tensor(2.5, dtype=torch.float64), torch.tensor(1.5, dtype=torch.float64))
data = true.sample((500,))
print(data.shape, data.dtype, f"{data.mean().item():.4f}")
log_a = torch.zeros((), dtype=torch.float64, requires_grad=True)
log_b = torch.zeros((), dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([log_a, log_b], lr=1, max_iter=100, line_search_fn="strong_wolfe",
                        tolerance_grad=1e-10, tolerance_change=1e-12)
calls = 0
def closure():
    global calls
    calls += 1
    opt.zero_grad()
    nll = -Gamma(log_a.exp(), log_b.exp()).log_prob(data).mean()
    nll.backward()
    return nll
loss = opt.step(closure)
print(f"first loss {loss.item():.6f}")
print(f"alpha {log_a.exp().item():.5f} beta {log_b.exp().item():.5f}")
print("closure calls", calls, opt.state[log_a]["n_iter"] if log_a in opt.state else None)
# %%
# Fisher information at the MLE via the hessian; standard errors
from torch.autograd.functional import hessian
def nll_total(theta):
    return -Gamma(theta[0], theta[1]).log_prob(data).sum()
theta_hat = torch.stack([log_a.exp(), log_b.exp()]).detach()
I = hessian(nll_total, theta_hat)
cov = torch.linalg.inv(I)
print(I)
print("se", cov.diagonal().sqrt())
print("corr", f"{(cov[0, 1] / cov.diagonal().prod().sqrt()).item():.4f}")
# %%
wd = Weibull(torch.tensor(1.5, dtype=torch.float64), torch.tensor(2.0, dtype=torch.float64)).sample((300,))
p = torch.zeros(2, dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([p], line_search_fn="strong_wolfe")
def closure2():
    opt.zero_grad()
    loss = -Weibull(p[0].exp(), p[1].exp()).log_prob(wd).mean()
    loss.backward()
    return loss
for _ in range(3):
    l = opt.step(closure2)
print(f"{l.item():.6f}", p.exp().detach())
try:
    Gamma(torch.tensor(-1.0), torch.tensor(1.0))
except ValueError as e:
    print(e)
