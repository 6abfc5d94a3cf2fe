import torch
import torch.nn as nn
from torch.distributions import Categorical

torch.manual_seed(0)
policy = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 3))
opt = torch.optim.RMSprop(policy.parameters(), lr=1e-2)
gamma = 0.9
for episode in range(3):
    log_probs, entropies, rewards = [], [], []
    state = torch.randn(4)
    for t in range(6):
        dist = Categorical(logits=policy(state))
        action = dist.sample()
        log_probs.append(dist.log_prob(action))
        entropies.append(dist.entropy())
        rewards.append(1.0 if action.item() == 2 else 0.0)
        state = state * 0.9 + 0.1 * torch.randn(4)
    returns, G = [], 0.0
    for r in reversed(rewards):
        G = r + gamma * G
        returns.insert(0, G)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + 1e-8)
    loss = -(torch.stack(log_probs) * returns).sum() - 0.01 * torch.stack(entropies).sum()
    opt.zero_grad()
    loss.backward()
    norm = nn.utils.clip_grad_norm_(policy.parameters(), 0.5)
    opt.step()
    print(episode, sum(rewards), f"{loss.item():.4f}", f"{norm.item():.4f}")
