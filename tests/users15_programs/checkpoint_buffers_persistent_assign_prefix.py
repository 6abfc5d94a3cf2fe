import io
import torch
import torch.nn as nn

class Norm(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(n))
        self.register_buffer("mean", torch.zeros(n))
        self.register_buffer("cache", torch.zeros(n), persistent=False)

    def forward(self, x):
        return (x - self.mean) * self.scale

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = Norm(3)
        self.head = nn.Linear(3, 1)

    def forward(self, x):
        return self.head(self.norm(x))

torch.manual_seed(0)
net = Net()
sd = net.state_dict()
print(list(sd.keys()))
print([n for n, _ in net.named_buffers()], [n for n, _ in net.named_parameters()])
print(sd._metadata if hasattr(sd, "_metadata") else None)
buf = io.BytesIO()
torch.save(net.state_dict(), buf)
buf.seek(0)
sd2 = torch.load(buf, weights_only=True)
print(type(sd2).__name__, sd2["head.weight"])
# %%
# prefix handling: loading a wrapped model's checkpoint into an unwrapped one
wrapped = nn.Sequential(Net())
wsd = wrapped.state_dict()
print(list(wsd.keys()))
fixed = {k.removeprefix("0."): v for k, v in wsd.items()}
print(net.load_state_dict(fixed))
try:
    net.load_state_dict(wsd)
except RuntimeError as e:
    print(e)
# %%
# assign=True keeps the loaded tensors themselves; default copies into existing params
new = {k: v.clone() + 1 for k, v in net.state_dict().items()}
old_param = net.head.weight
net.load_state_dict(new)
print(net.head.weight is old_param, net.head.weight)
net.load_state_dict(new, assign=True)
print(net.head.weight is old_param, type(net.head.weight).__name__, net.head.weight.requires_grad)
x = torch.ones(2, 3)
out = net(x).sum()
out.backward()
print(net.head.weight.grad, net.norm.scale.grad)
# %%
# whole-object checkpoints need weights_only=False
buf = io.BytesIO()
torch.save({"step": 10, "lr": 0.01, "tensors": [torch.ones(2), torch.arange(3)]}, buf)
buf.seek(0)
ck = torch.load(buf)
print(ck)
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
net(x).sum().backward()
opt.step()
sd = opt.state_dict()
print(sd["param_groups"], [list(v.keys()) for v in sd["state"].values()])
buf = io.BytesIO()
torch.save(sd, buf)
buf.seek(0)
opt2 = torch.optim.SGD(net.parameters(), lr=0.5)
opt2.load_state_dict(torch.load(buf))
print(opt2.param_groups[0]["lr"], opt2.param_groups[0]["momentum"], opt2.state[net.head.weight]["momentum_buffer"])
