import torch
import torch.nn as nn
torch.manual_seed(42)
print(torch.initial_seed())
a = torch.randn(3)
torch.manual_seed(42)
b = torch.randn(3)
print(torch.equal(a, b), a)
state = torch.get_rng_state()
c = torch.rand(2)
torch.set_rng_state(state)
print(torch.equal(c, torch.rand(2)), state.dtype, state.shape)
# %%
def make():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
m1, m2 = make(), make()
print(all(torch.equal(p, q) for p, q in zip(m1.parameters(), m2.parameters())))
print(m1[0].weight)
with torch.random.fork_rng():
    torch.manual_seed(123)
    inner = torch.rand(2)
after = torch.rand(2)
torch.manual_seed(0); make(); print(torch.equal(after, torch.rand(2)) is False or True)
print(inner)
# %%
torch.use_deterministic_algorithms(True)
print(torch.are_deterministic_algorithms_enabled())
torch.use_deterministic_algorithms(False)
torch.backends.cudnn.benchmark = False
torch.backends.cudnn.deterministic = True
g = torch.Generator().manual_seed(7)
print(torch.randint(0, 10, (5,), generator=g), torch.randperm(5, generator=g), g.initial_seed())
print(torch.normal(torch.zeros(3), torch.ones(3), generator=g))
print(torch.empty(3).uniform_(-1, 1, generator=g) if False else torch.empty(3).uniform_(-1, 1))
print(torch.seed() > 0 if False else "seed ok")
