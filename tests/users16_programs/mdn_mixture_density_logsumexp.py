import math
import torch
import torch.nn.functional as F

torch.manual_seed(11)
N = 64
x = torch.rand(N, 1) * 2 - 1
y = torch.where(torch.rand(N, 1) < 0.5, torch.sin(3 * x), -torch.sin(3 * x)) + 0.05 * torch.randn(N, 1)
K = 3
class MDN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.body = torch.nn.Sequential(torch.nn.Linear(1, 24), torch.nn.Tanh())
        self.pi = torch.nn.Linear(24, K)
        self.mu = torch.nn.Linear(24, K)
        self.log_sigma = torch.nn.Linear(24, K)
    def forward(self, x):
        h = self.body(x)
        return F.log_softmax(self.pi(h), -1), self.mu(h), self.log_sigma(h).clamp(-5, 3)

def mdn_nll(log_pi, mu, log_sigma, y):
    z = (y - mu) / log_sigma.exp()
    log_comp = -0.5 * z ** 2 - log_sigma - 0.5 * math.log(2 * math.pi)
    return -torch.logsumexp(log_pi + log_comp, dim=-1).mean()

model = MDN()
opt = torch.optim.Adam(model.parameters(), lr=0.02)
for it in range(12):
    opt.zero_grad()
    loss = mdn_nll(*model(x), y)
    loss.backward()
    gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()
    if it % 3 == 0:
        print(it, f"{loss.item():.4f}", f"{gn.item():.3f}")
# %%
log_pi, mu, log_sigma = model(x[:2])
print(log_pi.exp().sum(-1), mu.shape, log_sigma.grad_fn.name())
mix = torch.distributions.MixtureSameFamily(torch.distributions.Categorical(logits=log_pi),
                                            torch.distributions.Normal(mu, log_sigma.exp()))
lp = mix.log_prob(y[:2].squeeze(-1))
print(torch.allclose(-lp.mean(), mdn_nll(log_pi, mu, log_sigma, y[:2])))
print(mix.mean.shape, mix.variance.shape, mix.batch_shape, mix.event_shape)
# %%
torch.manual_seed(0)
samples = mix.sample((3,))
print(samples.shape, samples.requires_grad)
comp = torch.distributions.Categorical(logits=log_pi).sample()
print(comp)
# %%
mix.rsample()
