import torch
import torch.nn as nn
torch.manual_seed(0)
m = nn.Linear(2, 3)
try:
    m.weight = torch.ones(3, 2)
except TypeError as e:
    print(e)
try:
    m.foo
except AttributeError as e:
    print(e)
seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
print(seq[0:2], seq[-1])
seq.append(nn.Sigmoid())
seq.insert(1, nn.Dropout(0.1))
print(seq)
print(seq.get_submodule("0"), seq.get_parameter("0.bias").shape)
ml = nn.ModuleList([nn.Linear(1, 1)])
ml.extend([nn.Tanh(), nn.ReLU()])
print(ml[1:], len(ml))
print(nn.Flatten(1)(torch.ones(2, 3, 4)).shape, nn.Unflatten(1, (2, 2))(torch.ones(3, 4)).shape)
print(nn.Identity()(torch.ones(1)))
print(list(dict(seq.named_children()).keys()))
seq.train(False)
print(seq.training, seq[1].training)
print(seq.half()[0].weight.dtype)
m2 = nn.Module()
m2.register_module("lin", nn.Linear(1, 1))
m2.add_module("act", nn.ReLU())
print(m2)
try:
    nn.Sequential(nn.Linear(2, 2))(torch.ones(2, 3))
except RuntimeError as e:
    print(e)
try:
    m2.register_buffer("lin", torch.ones(1))
except KeyError as e:
    print(e)
p = nn.Parameter(torch.ones(2))
print(p * 2, p.sum())
print(repr(nn.Parameter(torch.ones(2, 2) * 0.5)))
print(nn.Linear(2, 3).extra_repr(), nn.Conv2d(1, 2, 3, stride=2, padding=1, bias=False))
print(nn.BatchNorm2d(3, momentum=None), nn.LayerNorm([2, 3], elementwise_affine=False))
print(nn.Embedding(10, 3, padding_idx=1), nn.LSTM(2, 3, batch_first=True, num_layers=2, dropout=0.2))
