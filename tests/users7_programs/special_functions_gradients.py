import torch
x = torch.linspace(0.5, 3, 4, dtype=torch.float64, requires_grad=True)
funcs = [torch.lgamma, torch.digamma, torch.special.gammaln, torch.special.i0, torch.special.i0e,
         torch.special.i1, torch.special.i1e, torch.special.ndtr, torch.special.log_ndtr,
         torch.special.erfcx, torch.special.sinc, torch.special.entr, torch.special.expit,
         torch.special.xlogy if False else torch.special.erf, torch.special.expm1]
for f in funcs:
    y = f(x)
    g, = torch.autograd.grad(y.sum(), x)
    print(f"{f.__name__:18s}", y.detach().numpy().round(8), g.numpy().round(8))
# %%
p = torch.tensor([0.1, 0.5, 0.9], dtype=torch.float64, requires_grad=True)
for f in [torch.special.ndtri, torch.special.logit, torch.special.erfinv]:
    y = f(p)
    y.sum().backward()
    print(f.__name__, y.detach().numpy().round(8), p.grad.numpy().round(6))
    p.grad = None
# %%
print(torch.polygamma(1, x).detach().round(decimals=6))
print(torch.special.multigammaln(x + 2, 2).detach().round(decimals=6))
print(torch.special.zeta(x + 1, torch.tensor(1.0, dtype=torch.float64)).detach().round(decimals=6))
print(torch.special.xlog1py(x, x).detach().round(decimals=6), torch.special.xlogy(torch.tensor([0.0, 2.0]), torch.tensor([0.0, 3.0])))
g, = torch.autograd.grad(torch.polygamma(2, x).sum(), x)
print(g.round(decimals=6))
print(torch.special.gammainc(torch.tensor([1.0, 2.0]), torch.tensor([0.5, 3.0])), torch.special.gammaincc(torch.tensor([1.0]), torch.tensor([0.5])))
print(torch.special.bessel_j0(torch.tensor([0.0, 1.0, 2.5])), torch.special.modified_bessel_k0(torch.tensor([0.5, 1.0])))
print(torch.special.softmax(torch.tensor([1.0, 2.0]), 0), torch.special.logsumexp(torch.tensor([1.0, 2.0]), 0), torch.special.round(torch.tensor([1.26]), decimals=1))
# %%
# log-likelihood of a Gamma model by hand, fit with gradient descent on log-parameters
torch.manual_seed(0)
data = torch.distributions.Gamma(3.0, 2.0).sample((200,)).double()
log_a = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
log_b = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
opt = torch.optim.Adam([log_a, log_b], lr=0.1)
for it in range(200):
    a, b = log_a.exp(), log_b.exp()
    ll = (a * torch.log(b) - torch.lgamma(a) + (a - 1) * torch.log(data) - b * data).mean()
    opt.zero_grad()
    (-ll).backward()
    opt.step()
print(round(log_a.exp().item(), 1), round(log_b.exp().item(), 1))
ref = torch.distributions.Gamma(log_a.exp(), log_b.exp()).log_prob(data).mean()
print(torch.allclose(ref, ll, atol=1e-3))
