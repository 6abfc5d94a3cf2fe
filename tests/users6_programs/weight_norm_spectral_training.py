import torch
from torch import nn
from torch.nn.utils.parametrizations import weight_norm, spectral_norm
torch.manual_seed(5)
net = nn.Sequential(weight_norm(nn.Linear(3, 4)), nn.Tanh(), spectral_norm(nn.Linear(4, 1))).double()
opt = torch.optim.Adam(net.parameters(), lr=0.05)
x = torch.randn(8, 3, dtype=torch.float64)
y = torch.randn(8, 1, dtype=torch.float64)
for step in range(3):
    opt.zero_grad()
    loss = nn.functional.mse_loss(net(x), y)
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 8))
print([n for n, _ in net.named_parameters()])
print(sorted(net.state_dict()))
# %%
g = net[0].parametrizations.weight.original0
v = net[0].parametrizations.weight.original1
print(torch.allclose(net[0].weight, g * v / v.norm(dim=1, keepdim=True)))
net.eval()
w_eval = net[2].weight
print(torch.linalg.matrix_norm(w_eval, ord=2).item() <= 1.0 + 1e-6)
