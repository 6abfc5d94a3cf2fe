import torch
import numpy as np
rng = np.random.default_rng(5)
props = torch.tensor(rng.normal(size=(200, 2)))
us = torch.tensor(rng.uniform(size=200))
def logp(x):
    return -0.5 * (x @ torch.tensor([[2.0, 0.3], [0.3, 1.0]], dtype=torch.float64) * x).sum(-1)
x = torch.zeros(2, dtype=torch.float64)
acc = 0
chain = []
for i in range(200):
    prop = x + 0.5 * props[i]
    if torch.log(us[i]) < logp(prop) - logp(x):
        x = prop
        acc += 1
    chain.append(x)
chain = torch.stack(chain)
print(acc, chain.mean(dim=0), chain.var(dim=0, unbiased=True))
print(torch.cov(chain.T))
print(torch.corrcoef(chain.T))
print(chain.median(dim=0))
print(torch.quantile(chain[:, 0], torch.tensor([0.1, 0.5, 0.9], dtype=torch.float64)))
