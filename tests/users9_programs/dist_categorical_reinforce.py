import torch
from torch.distributions import Categorical, Bernoulli, OneHotCategorical

torch.manual_seed(0)
logits = torch.zeros(3, requires_grad=True)
opt = torch.optim.Adam([logits], lr=0.1)
rewards = torch.tensor([1.0, 0.0, 2.0])
for it in range(20):
    dist = Categorical(logits=logits)
    a = dist.sample((16,))
    loss = -(dist.log_prob(a) * rewards[a]).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(Categorical(logits=logits).probs)
print(dist.entropy(), dist.mean if False else dist.param_shape)
b = Bernoulli(probs=torch.tensor([0.2, 0.9]))
print(b.log_prob(torch.tensor([1.0, 0.0])), b.entropy(), b.logits)
oh = OneHotCategorical(probs=torch.tensor([0.1, 0.6, 0.3]))
s = oh.sample()
print(s, oh.log_prob(s))
print(Categorical(probs=torch.tensor([[0.5, 0.5], [0.9, 0.1]])).log_prob(torch.tensor([0, 1])))
try:
    Categorical(probs=torch.tensor([0.5, -0.5]))
except ValueError as e:
    print(e)
