import torch
from torch import nn
pl = nn.ParameterList([nn.Parameter(torch.ones(2)), torch.zeros(3)])
print(pl, type(pl[1]).__name__ == type(pl[0]).__name__, pl[1].requires_grad)
pl.extend([nn.Parameter(torch.ones(1, 2))])
pl.append(torch.ones(4, dtype=torch.float64))
print(len(pl), pl[-1].dtype, [p.shape for p in pl[1:3]])
pl[0] = nn.Parameter(torch.zeros(5))
print(pl)
print([n for n, _ in pl.named_parameters()])
# %%
pd = nn.ParameterDict({"a": nn.Parameter(torch.ones(2)), "b": torch.zeros(1)})
pd["c"] = torch.ones(3)
pd.update({"d": torch.ones(1, 1)})
print(pd)
print(list(pd.keys()), "a" in pd, len(pd), pd.get("zz"), pd.get("a").shape)
print(pd.pop("b"))
print(sorted(k for k, _ in pd.items()))
cp = pd.copy()
print(type(cp).__name__, list(cp.keys()))
print(pd.setdefault("e", torch.zeros(2)).shape, list(pd))
del pd["a"]
print(list(pd))
pd2 = pd | nn.ParameterDict({"z": torch.ones(1)})
print(list(pd2))
pd.clear()
print(len(pd))
# %%
ml = nn.ModuleList([nn.Linear(1, 1), nn.ReLU()])
ml.insert(1, nn.Tanh())
ml.extend([nn.Sigmoid()])
print(ml)
print(ml[1:3], ml[-1])
del ml[0]
print(len(ml), ml.pop(0))
ml2 = ml + nn.ModuleList([nn.Identity()])
print(ml2)
ml[0] = nn.GELU()
print(ml)
# %%
md = nn.ModuleDict({"lin": nn.Linear(1, 2)})
md["act"] = nn.ReLU()
md.update([("out", nn.Linear(2, 1))])
print(md, list(md.keys()), list(md.values())[0])
for k in md:
    print(k)
print(md.pop("act"), len(md))
md.clear()
print(md)
# %%
s = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
s2 = s + nn.Sequential(nn.Tanh())
print(s2, len(s2))
print(s2.pop(1), s2)
del s2[0]
print(s2)
s3 = nn.Sequential()
print(s3, s3(torch.ones(1)))
from collections import OrderedDict
s4 = nn.Sequential(OrderedDict([("fc", nn.Linear(1, 1)), ("act", nn.ReLU())]))
print(s4, s4.fc, s4[0] is s4.fc)
print(s4 * 2)
s5 = nn.Sequential(nn.ReLU())
s5 *= 3
s5 += nn.Sequential(nn.Tanh())
print(s5, 2 * nn.Sequential(nn.ReLU()))
nn.Sequential(nn.ReLU()) * 0
# %%
pd = nn.ParameterDict({"x": torch.ones(1), "y": torch.zeros(2)})
print(pd.popitem(), list(reversed(pd)), list(pd.fromkeys(["p", "q"], torch.ones(1))))
pd |= {"w": torch.ones(3)}
print(list(pd))
