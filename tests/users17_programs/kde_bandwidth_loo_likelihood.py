import math
import torch

torch.manual_seed(0)
data = torch.cat([torch.randn(30) * 0.5 - 1, torch.randn(20) * 0.3 + 1.5])
log_h = torch.tensor(0.0, requires_grad=True)

def loo_loglik(x, log_h):
    h = log_h.exp()
    d = (x[:, None] - x[None, :]) / h
    logk = -0.5 * d ** 2 - math.log(math.sqrt(2 * math.pi)) - log_h
    n = x.shape[0]
    logk = logk.masked_fill(torch.eye(n, dtype=torch.bool), float("-inf"))
    return (torch.logsumexp(logk, dim=1) - math.log(n - 1)).mean()

ll = loo_loglik(data, log_h)
ll.backward()
print(ll, log_h.grad)
# %%
opt = torch.optim.Adam([log_h], lr=0.1)
for step in range(40):
    opt.zero_grad()
    loss = -loo_loglik(data, log_h)
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(step, f"{loss.item():.5f}", f"{log_h.exp().item():.5f}")
silverman = 1.06 * data.std() * data.numel() ** (-1 / 5)
print(f"{silverman.item():.4f}", data.std(unbiased=True) > data.std(unbiased=False))
# %%
grid = torch.linspace(-3, 3, 7)
h = log_h.exp().detach()
dens = torch.distributions.Normal(data[None, :], h).log_prob(grid[:, None]).logsumexp(1) - math.log(len(data))
print(dens.exp())
print(torch.trapezoid(dens.exp(), grid))
# %%
x = torch.tensor([float("-inf"), float("-inf")])
print(torch.logsumexp(x, 0), torch.logsumexp(torch.tensor([float("-inf"), 0.0]), 0))
xx = torch.tensor([[float("-inf"), 1.0], [float("-inf"), float("-inf")]], requires_grad=True)
lse = torch.logsumexp(xx, 1)
lse[0].backward()
print(lse, xx.grad)
# %%
torch.distributions.Normal(0.0, -1.0)
