# ruff: noqa: F821
import torch
from torch.distributions import Categorical
torch.manual_seed(6)

# REINFORCE with a baseline on a 4-armed bandit
true_means = torch.tensor([0.1, 0.5, 0.9, 0.3])
logits = torch.zeros(4, requires_grad=True)
opt = torch.optim.Adam([logits], lr=0.1)
baseline = 0.0
for step in range(100):
    dist = Categorical(logits=logits)
    actions = dist.sample((16,))
    rewards = torch.bernoulli(true_means[actions])
    loss = -(dist.log_prob(actions) * (rewards - baseline)).mean()
    baseline = 0.9 * baseline + 0.1 * rewards.mean().item()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 25 == 0:
        print(step, actions[:6].tolist(), f"{rewards.mean().item():.3f}")
probs = torch.softmax(logits, 0)
print(probs.argmax().item(), dist)
print(f"entropy {Categorical(logits=logits).entropy().item():.4f}")
numeric([logits, probs, baseline])
# %%
d = Categorical(probs=torch.tensor([[0.2, 0.8], [0.5, 0.5]]))
print(d.batch_shape, d.event_shape, d.sample().shape, d.log_prob(torch.tensor([1, 0])))
print(d.enumerate_support())
try:
    Categorical(probs=torch.tensor([0.2, -0.1]), validate_args=True)
except ValueError as e:
    print(e)
