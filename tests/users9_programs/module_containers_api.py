import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(2, 2) for _ in range(2)])
        self.heads = nn.ModuleDict({"a": nn.Linear(2, 1), "b": nn.Linear(2, 3)})
        self.scales = nn.ParameterList([nn.Parameter(torch.ones(2)) for _ in range(2)])
        self.register_buffer("counter", torch.zeros((), dtype=torch.long))
        self.register_buffer("tmp", torch.ones(1), persistent=False)
    def forward(self, x, head="a"):
        for blk, s in zip(self.blocks, self.scales):
            x = torch.relu(blk(x)) * s
        self.counter += 1
        return self.heads[head](x)

torch.manual_seed(0)
net = Net()
print(net)
print(list(net.state_dict().keys()))
print([n for n, _ in net.named_modules()])
print(net(torch.ones(1, 2), "b").shape, net.counter)
net.blocks[0].requires_grad_(False)
print([n for n, p in net.named_parameters() if p.requires_grad])
print(sum(p.numel() for p in net.parameters()))
print(net.heads["b"].weight.dtype, net.double().heads["b"].weight.dtype)
sd = net.state_dict(keep_vars=True)
print(type(sd["scales.0"]).__name__, sd["counter"])
print(net.load_state_dict({k: v for k, v in net.state_dict().items() if k != "counter"}, strict=False))
try:
    net.load_state_dict({"bogus": torch.ones(1)})
except RuntimeError as e:
    print(e)
