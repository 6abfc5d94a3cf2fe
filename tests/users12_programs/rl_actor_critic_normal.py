import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Normal, Independent
torch.manual_seed(1)


class ActorCritic(nn.Module):
    def __init__(self, obs=3, act=2):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(obs, 8), nn.Tanh())
        self.mu = nn.Linear(8, act)
        self.log_std = nn.Parameter(torch.zeros(act) - 0.5)
        self.v = nn.Linear(8, 1)

    def forward(self, x):
        h = self.body(x)
        return self.mu(h), self.log_std.exp().expand_as(self.mu(h)), self.v(h).squeeze(-1)


ac = ActorCritic()
print(ac)
obs = torch.randn(5, 3)
mu, std, value = ac(obs)
dist = Normal(mu, std)
print(dist)
actions = dist.sample()
print(actions)
logp = dist.log_prob(actions).sum(-1)
print(logp)
print(dist.entropy().sum(-1))
# %%
rewards = torch.tensor([0.5, -0.2, 1.0, 0.3, 0.0])
dones = torch.tensor([0, 0, 1, 0, 0], dtype=torch.bool)
gamma, lam = 0.99, 0.95
with torch.no_grad():
    next_value = torch.cat([value[1:], torch.zeros(1)])
    next_value = next_value.masked_fill(dones, 0.0)
    deltas = rewards + gamma * next_value - value
    adv = torch.zeros_like(deltas)
    gae = 0.0
    for t in reversed(range(5)):
        gae = deltas[t] + gamma * lam * (~dones[t]).float() * gae
        adv[t] = gae
print(adv)
ret = adv + value.detach()
adv = (adv - adv.mean()) / (adv.std() + 1e-8)
print(adv)
# %%
old_logp = logp.detach() + 0.1 * torch.tensor([1.0, -2.0, 0.5, 3.0, -1.0])
new_dist = Independent(Normal(mu, std), 1)
new_logp = new_dist.log_prob(actions)
ratio = torch.exp(new_logp - old_logp)
print(ratio)
surr1 = ratio * adv
surr2 = torch.clamp(ratio, 0.8, 1.2) * adv
policy_loss = -torch.min(surr1, surr2).mean()
value_loss = F.smooth_l1_loss(value, ret)
loss = policy_loss + 0.5 * value_loss - 0.01 * new_dist.entropy().mean()
numeric(policy_loss)
print(value_loss)
loss.backward()
numeric(ac.log_std.grad)
numeric(ac.mu.weight.grad)
numeric(ac.v.bias.grad)
norms = [p.grad.norm() for p in ac.parameters()]
numeric(torch.stack(norms))
nn.utils.clip_grad_value_(ac.parameters(), 0.1)
numeric(ac.mu.weight.grad)
# %%
r = dist.rsample()
print(r.requires_grad, r.grad_fn is not None)
z = Normal(torch.tensor(0.0), torch.tensor(1.0))
print(z.cdf(torch.tensor([-1.0, 0.0, 1.96])))
print(z.icdf(torch.tensor([0.025, 0.5])))
print(z.log_prob(torch.tensor(0.0)))
print(new_dist.batch_shape, new_dist.event_shape)
# %%
Normal(torch.tensor([0.0]), torch.tensor([-1.0]))
