import torch
import torch.nn as nn

torch.manual_seed(0)
w = torch.empty(3, 5)
nn.init.xavier_uniform_(w)
print(w)
nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
print(w)
# %%
torch.manual_seed(1)
big = torch.empty(200, 100)
nn.init.normal_(big, mean=1.0, std=0.5)
print(big.mean(), big.std())
nn.init.uniform_(big, -2, 2)
print(big.min() >= -2, big.max() <= 2, big.mean())
nn.init.trunc_normal_(big, std=1.0, a=-1.0, b=1.0)
print(big.abs().max() <= 1.0, big[0, :4])
# %%
torch.manual_seed(2)
o = torch.empty(4, 4)
nn.init.orthogonal_(o)
print(torch.allclose(o @ o.T, torch.eye(4), atol=1e-5), o.shape)
nn.init.constant_(o, 0.3)
nn.init.eye_(o)
print(o.diagonal(), nn.init.calculate_gain("tanh"), nn.init.calculate_gain("leaky_relu", 0.2))
# %%
torch.manual_seed(4)
lin = nn.Linear(4, 3)
print(lin.weight, lin.bias)
nn.init.zeros_(lin.bias)
nn.init.xavier_normal_(lin.weight, gain=nn.init.calculate_gain("relu"))
print(lin.weight)
