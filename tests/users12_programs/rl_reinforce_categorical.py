import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical
torch.manual_seed(0)


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 16)
        self.fc2 = nn.Linear(16, 2)

    def forward(self, x):
        return F.softmax(self.fc2(F.relu(self.fc1(x))), dim=-1)


policy = Policy()
opt = torch.optim.Adam(policy.parameters(), lr=1e-2)
eps = torch.finfo(torch.float32).eps
print(eps)
# %%
states = torch.randn(6, 4)
log_probs, entropies = [], []
for s in states:
    probs = policy(s)
    m = Categorical(probs)
    a = m.sample()
    log_probs.append(m.log_prob(a))
    entropies.append(m.entropy())
    print(a, a.dtype, a.shape, m.log_prob(a))
rewards = [1.0, 0.0, 1.0, 1.0, 0.0, 1.0]
R, returns = 0.0, []
for r in reversed(rewards):
    R = r + 0.99 * R
    returns.insert(0, R)
returns = torch.tensor(returns)
print(returns)
returns = (returns - returns.mean()) / (returns.std() + eps)
print(returns)
# %%
policy_loss = []
for lp, G in zip(log_probs, returns):
    policy_loss.append(-lp * G)
loss = torch.cat([l.unsqueeze(0) for l in policy_loss]).sum() - 0.01 * torch.stack(entropies).sum()
print(loss)
opt.zero_grad()
loss.backward()
numeric(policy.fc1.weight.grad)
total = torch.nn.utils.clip_grad_norm_(policy.parameters(), 0.5)
numeric(total)
numeric(policy.fc2.weight.grad)
opt.step()
numeric(policy.fc2.bias)
# %%
m = Categorical(logits=torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]))
print(m)
print(m.probs, m.logits)
print(m.sample((3,)))
print(m.log_prob(torch.tensor([2, 0])))
print(m.entropy())
print(m.batch_shape, m.event_shape, m.param_shape)
print(m.enumerate_support())
print(m.mode)
# %%
Categorical(probs=torch.tensor([0.5, -0.1, 0.6]))
# %%
m.log_prob(torch.tensor([3, 0]))
# %%
torch.manual_seed(4)
print(m.sample_n(2))
print(m.perplexity(), m.expand((3, 2)).batch_shape)
