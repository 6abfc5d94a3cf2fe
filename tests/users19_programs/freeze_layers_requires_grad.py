import torch
import torch.nn as nn

# "freezing layers": requires_grad_(False) vs model.eval() vs no_grad
torch.manual_seed(1)
net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
for p in net[0].parameters():
    p.requires_grad = False
print([n for n, p in net.named_parameters() if p.requires_grad])
net(torch.randn(5, 3)).sum().backward()
print(net[0].weight.grad, net[2].bias.grad)
# %%
# eval() does not stop gradients
net.zero_grad()
net.eval()
out = net(torch.ones(1, 3))
print(out.requires_grad, net.training)
# %%
# passing frozen parameters to the optimizer is allowed, they simply do not move
opt = torch.optim.SGD(net.parameters(), lr=0.5)
before = net[0].weight.detach().clone()
before2 = net[2].weight.detach().clone()
opt.zero_grad()
net(torch.ones(2, 3)).pow(2).mean().backward()
opt.step()
print(torch.equal(before, net[0].weight), torch.equal(before2, net[2].weight))
# %%
# filter the trainable ones, the usual answer
trainable = [p for p in net.parameters() if p.requires_grad]
print(len(trainable), sum(p.numel() for p in trainable))
opt = torch.optim.Adam(filter(lambda p: p.requires_grad, net.parameters()), lr=1e-2)
print(len(opt.param_groups[0]["params"]))
# %%
# unfreezing: requires_grad_ on the module
net[0].requires_grad_(True)
net.zero_grad()
net(torch.ones(1, 3)).sum().backward()
print(net[0].bias.grad is not None, net[0].bias.grad.shape)
