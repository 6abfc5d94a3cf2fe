import torch
from torch import nn
torch.manual_seed(42)
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
def init(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight, gain=nn.init.calculate_gain("tanh"))
        nn.init.zeros_(m.bias)
net.apply(init)
print(net[0].weight)
print(nn.init.calculate_gain("leaky_relu", 0.2), nn.init.calculate_gain("selu"), nn.init.calculate_gain("relu"))
w = torch.empty(3, 5)
nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
print(w.std() > 0, w.shape)
nn.init.trunc_normal_(w, std=0.02, a=-0.04, b=0.04)
print(bool((w.abs() <= 0.04).all()))
nn.init.orthogonal_(w)
print(torch.allclose(w @ w.T, torch.eye(3), atol=1e-5))
try:
    nn.init.calculate_gain("nope")
except ValueError as e:
    print(type(e).__name__, e)
