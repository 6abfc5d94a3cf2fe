import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical, Bernoulli, OneHotCategorical, kl_divergence
torch.manual_seed(3)

policy = nn.Sequential(nn.Linear(3, 10), nn.ReLU(), nn.Linear(10, 4))
obs = torch.randn(2, 6, 3)  # (episodes, steps, obs)
logits = policy(obs)
dist = Categorical(logits=logits)
acts = dist.sample()
print(acts)
print(dist.log_prob(acts).shape, dist.entropy().shape)
rew = torch.randn(2, 6)
gamma = 0.9
disc = gamma ** torch.arange(6.0)
print(disc)
returns = torch.flip(torch.cumsum(torch.flip(rew * disc, [1]), 1), [1]) / disc
numeric(returns)
adv = (returns - returns.mean(dim=1, keepdim=True)) / (returns.std(dim=1, keepdim=True) + 1e-8)
loss = -(dist.log_prob(acts) * adv).sum(1).mean() - 0.01 * dist.entropy().mean()
loss.backward()
numeric(loss)
numeric(policy[0].weight.grad)
gn = nn.utils.clip_grad_norm_(policy.parameters(), max_norm=1.0, norm_type=2.0)
numeric(gn)
gn_inf = nn.utils.clip_grad_norm_(policy.parameters(), max_norm=1.0, norm_type='inf')
numeric(gn_inf)
# %%
old = Categorical(logits=logits.detach())
new = Categorical(logits=logits.detach() + 0.1 * torch.randn(2, 6, 4))
kl = kl_divergence(old, new)
print(kl.shape)
numeric(kl.mean())
print(dist.probs.sum(-1))
ohc = OneHotCategorical(logits=torch.tensor([0.0, 1.0, 2.0]))
s = ohc.sample((4,))
print(s)
print(ohc.log_prob(s))
print(ohc.entropy())
b = Bernoulli(logits=torch.tensor([-1.0, 0.0, 2.0]))
bs = b.sample()
print(bs, b.log_prob(bs), b.entropy())
# %%
# epsilon greedy + Q-learning target with gather
q_net = nn.Linear(3, 4)
target_net = nn.Linear(3, 4)
target_net.load_state_dict(q_net.state_dict())
s0, s1 = torch.randn(5, 3), torch.randn(5, 3)
a = torch.tensor([0, 3, 1, 1, 2])
r = torch.tensor([1.0, 0.0, -1.0, 0.5, 0.0])
done = torch.tensor([0.0, 0.0, 1.0, 0.0, 1.0])
q = q_net(s0).gather(1, a.unsqueeze(1)).squeeze(1)
with torch.no_grad():
    tgt = r + 0.99 * target_net(s1).max(1)[0] * (1 - done)
l = F.smooth_l1_loss(q, tgt)
print(l)
l.backward()
numeric(q_net.weight.grad)
for tp, p in zip(target_net.parameters(), q_net.parameters()):
    tp.data.mul_(0.995).add_(0.005 * p.data)
numeric(target_net.bias)
print(torch.rand(3) < 0.1, torch.randint(0, 4, (2,)))
# %%
Categorical(logits=torch.zeros(3)).log_prob(torch.tensor([0.5]))
