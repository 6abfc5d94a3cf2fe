import torch
import torch.nn as nn
from torch.distributions import Categorical, Bernoulli, Normal

torch.manual_seed(0)
# score-function estimator vs the exact gradient of E[f(x)], x ~ Bernoulli(sigmoid(theta))
theta = torch.tensor(0.3, requires_grad=True)
f = lambda x: (x - 0.45) ** 2
def exact(theta):
    p = torch.sigmoid(theta)
    return p * f(torch.tensor(1.0)) + (1 - p) * f(torch.tensor(0.0))
exact(theta).backward()
print("exact", theta.grad)
theta.grad = None
dist = Bernoulli(logits=theta)
x = dist.sample((20000,))
surrogate = (dist.log_prob(x) * f(x)).mean()
surrogate.backward()
print("reinforce", f"{theta.grad.item():.3f}")
# %%
policy = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
opt = torch.optim.Adam(policy.parameters(), lr=0.01)
baseline = 0.0
def env_reward(state, action):
    return (action == (state.sum(-1) > 0).long()).float()
for ep in range(60):
    states = torch.randn(32, 4)
    d = Categorical(logits=policy(states))
    a = d.sample()
    R = env_reward(states, a)
    baseline = 0.9 * baseline + 0.1 * R.mean().item()
    loss = -(d.log_prob(a) * (R - baseline)).mean() - 0.01 * d.entropy().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if ep % 20 == 0:
        print(ep, f"{R.mean().item():.3f}", f"{baseline:.3f}")
with torch.no_grad():
    s = torch.randn(500, 4)
    acc = (policy(s).argmax(-1) == (s.sum(-1) > 0).long()).float().mean()
print(f"greedy accuracy {acc.item():.2f}")
# %%
# Gaussian policy, returns-to-go with discount
mu_w = torch.zeros(2, requires_grad=True)
log_std = torch.tensor(-0.5, requires_grad=True)
rewards, logps = [], []
for t in range(5):
    pi = Normal(mu_w, log_std.exp())
    act = pi.sample()
    logps.append(pi.log_prob(act).sum())
    rewards.append(-(act - torch.tensor([1.0, -1.0])).pow(2).sum().item())
gamma_, G, returns = 0.9, 0.0, []
for r_ in reversed(rewards):
    G = r_ + gamma_ * G
    returns.insert(0, G)
returns = torch.tensor(returns)
print(returns.round(decimals=3))
returns = (returns - returns.mean()) / (returns.std() + 1e-8)
(-(torch.stack(logps) * returns).sum()).backward()
print(mu_w.grad, log_std.grad)
