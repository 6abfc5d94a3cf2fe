import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence

class BayesLinear(nn.Module):
    def __init__(self, n_in, n_out, prior_std=1.0):
        super().__init__()
        self.w_mu = nn.Parameter(torch.zeros(n_out, n_in).normal_(0, 0.1))
        self.w_rho = nn.Parameter(torch.full((n_out, n_in), -4.0))
        self.b_mu = nn.Parameter(torch.zeros(n_out))
        self.b_rho = nn.Parameter(torch.full((n_out,), -4.0))
        self.prior = Normal(0.0, prior_std)

    def forward(self, x):
        w_std = F.softplus(self.w_rho)
        b_std = F.softplus(self.b_rho)
        # local reparameterisation: sample pre-activations, not weights
        mean = F.linear(x, self.w_mu, self.b_mu)
        var = F.linear(x ** 2, w_std ** 2, b_std ** 2)
        return mean + var.sqrt() * torch.randn_like(mean)

    def kl(self):
        qw = Normal(self.w_mu, F.softplus(self.w_rho))
        qb = Normal(self.b_mu, F.softplus(self.b_rho))
        return kl_divergence(qw, self.prior).sum() + kl_divergence(qb, self.prior).sum()

torch.manual_seed(0)
X = torch.linspace(-2, 2, 64).unsqueeze(1)
Y = torch.sin(2 * X) + 0.1 * torch.randn_like(X)
net = nn.ModuleList([BayesLinear(1, 16), BayesLinear(16, 1)])
def forward(x):
    return net[1](torch.tanh(net[0](x)))
opt = torch.optim.Adam(net.parameters(), lr=0.03)
for ep in range(120):
    pred = forward(X)
    nll = 0.5 * ((pred - Y) ** 2).sum() / 0.1 ** 2
    kl = sum(layer.kl() for layer in net)
    loss = (nll + kl) / X.shape[0]
    opt.zero_grad()
    loss.backward()
    opt.step()
    if ep % 30 == 0:
        print(ep, f"{loss.item():.3f}", f"{kl.item():.2f}")
print(type(kl).__name__, kl.grad_fn.name())
print([n for n, _ in net.named_parameters()])
# %%
torch.manual_seed(1)
with torch.no_grad():
    Xt = torch.tensor([[-3.0], [0.0], [3.0]])
    samples = torch.stack([forward(Xt) for _ in range(100)])
    m, s = samples.mean(0), samples.std(0)
print(m.squeeze().round(decimals=2), (s.squeeze() > 0).tolist())
print(F.softplus(net[0].w_rho).mean().item() > 0, net[0].prior)
