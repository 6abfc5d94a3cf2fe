import torch

g = torch.Generator().manual_seed(42)
print(torch.rand(3, generator=g), torch.randn(2, generator=g), torch.randint(0, 10, (4,), generator=g))
print(torch.randperm(6, generator=g), torch.multinomial(torch.tensor([0.1, 0.2, 0.7]), 5, replacement=True, generator=g))
print(torch.multinomial(torch.tensor([1.0, 2.0, 3.0, 4.0]), 3, replacement=False, generator=g))
state = g.get_state()
a = torch.rand(2, generator=g)
g.set_state(state)
b = torch.rand(2, generator=g)
print(torch.equal(a, b), g.initial_seed())
g2 = torch.Generator()
g2.manual_seed(42)
print(torch.rand(3, generator=g2))
# %%
torch.manual_seed(7)
x = torch.empty(5)
print(x.normal_(mean=2.0, std=0.5), x.uniform_(-1, 1), x.exponential_(2.0), x.bernoulli_(0.3))
print(torch.bernoulli(torch.tensor([0.2, 0.8, 0.5])), torch.poisson(torch.tensor([1.0, 4.0])), torch.normal(torch.zeros(3), torch.ones(3)))
print(torch.normal(1.0, 2.0, size=(2,)), torch.randint_like(torch.zeros(3), 5), torch.rand_like(torch.zeros(2)), torch.randn_like(torch.zeros(2, dtype=torch.float64)))
idx = torch.randperm(10)[:4]
print(idx, torch.randint(3, (2, 2)), torch.randint(-5, 5, (3,), dtype=torch.int32))
# %%
# a seeded train / validation split and bootstrap resampling
torch.manual_seed(0)
data = torch.arange(20.0)
perm = torch.randperm(len(data))
train, val = data[perm[:15]], data[perm[15:]]
print(train.sum(), val)
boot = torch.stack([data[torch.randint(0, 20, (20,))].mean() for _ in range(200)])
print(f"{boot.mean().item():.4f} {boot.std().item():.4f}")
print(torch.quantile(boot, torch.tensor([0.025, 0.975])))
from torch.utils.data import random_split, TensorDataset
ds = TensorDataset(data)
a, b = random_split(ds, [0.75, 0.25], generator=torch.Generator().manual_seed(1))
print(len(a), len(b), sorted(a.indices)[:5], b.indices)
# %%
torch.multinomial(torch.tensor([0.5, 0.5]), 3, replacement=False)
# %%
torch.multinomial(torch.tensor([-0.1, 0.5]), 1)
# %%
torch.randint(5, 2, (3,))
