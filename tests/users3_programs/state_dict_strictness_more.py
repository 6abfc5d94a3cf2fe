# ruff: noqa: F821
import io
import torch
import torch.nn as nn
from collections import OrderedDict
torch.manual_seed(39)

class Net(nn.Module):
    def __init__(self, hidden=4):
        super().__init__()
        self.enc = nn.Linear(3, hidden)
        self.dec = nn.Linear(hidden, 3)
        self.register_buffer("scale", torch.tensor(2.0))
        self.register_buffer("cache", torch.zeros(3), persistent=False)

    def forward(self, x):
        return self.dec(torch.relu(self.enc(x))) * self.scale

net = Net()
sd = net.state_dict()
print(list(sd.keys()), type(sd).__name__)
other = Net(hidden=5)
try:
    other.load_state_dict(sd)
except RuntimeError as e:
    print(str(e))
partial = OrderedDict((k, v) for k, v in sd.items() if k.startswith("enc"))
partial["extra.weight"] = torch.ones(1)
res = Net().load_state_dict(partial, strict=False)
print(res)
print(res.missing_keys, res.unexpected_keys)
# %%
buf = io.BytesIO()
torch.save(net.state_dict(), buf)
buf.seek(0)
restored = Net()
print(restored.load_state_dict(torch.load(buf, weights_only=True)))
x = torch.randn(2, 3)
print(torch.equal(restored(x), net(x)))
seq = nn.Sequential(OrderedDict([("first", nn.Linear(2, 2)), ("act", nn.Tanh())]))
seq.add_module("last", nn.Linear(2, 1))
print(seq, len(seq), seq[-1], seq[:2])
ml = nn.ModuleList([nn.ReLU()])
ml.extend([nn.Tanh(), nn.Sigmoid()])
ml.insert(1, nn.ELU())
print(ml, ml[1:3])
print(list(seq.state_dict().keys()))
