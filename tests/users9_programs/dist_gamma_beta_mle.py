import torch
from torch.distributions import Gamma, Beta, Poisson, Dirichlet

torch.manual_seed(0)
data = Gamma(torch.tensor(3.0), torch.tensor(2.0)).sample((200,))
log_a = torch.zeros((), requires_grad=True)
log_b = torch.zeros((), requires_grad=True)
opt = torch.optim.Adam([log_a, log_b], lr=0.1)
for it in range(50):
    opt.zero_grad()
    nll = -Gamma(log_a.exp(), log_b.exp()).log_prob(data).mean()
    nll.backward()
    opt.step()
print(f"{log_a.exp().item():.3f} {log_b.exp().item():.3f} {nll.item():.4f}")
a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(5.0, requires_grad=True)
beta = Beta(a, b)
print(beta.mean, beta.variance, beta.entropy())
beta.log_prob(torch.tensor(0.3)).backward()
print(a.grad, b.grad)
p = Poisson(torch.tensor([1.0, 4.0]))
print(p.log_prob(torch.tensor([0.0, 3.0])), p.mean)
d = Dirichlet(torch.tensor([1.0, 2.0, 3.0]))
print(d.mean, d.log_prob(torch.tensor([0.2, 0.3, 0.5])))
