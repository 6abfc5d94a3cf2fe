import torch
import torch.nn as nn

torch.manual_seed(1)
net = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
sd = net.state_dict()
print(list(sd.keys()))
for k, v in sd.items():
    print(k, tuple(v.shape), v.dtype)
# %%
clone = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
result = clone.load_state_dict(sd)
print(result)
print(all(torch.equal(a, b) for a, b in zip(net.state_dict().values(), clone.state_dict().values())))
# %%
sd2 = {k: v for k, v in sd.items() if not k.startswith("3.")}
sd2["extra.weight"] = torch.zeros(1)
r = clone.load_state_dict(sd2, strict=False)
print(r.missing_keys, r.unexpected_keys)
try:
    clone.load_state_dict(sd2)
except RuntimeError as e:
    print(str(e).splitlines()[0])
# %%
bad = dict(sd)
bad["0.weight"] = torch.zeros(5, 3)
try:
    clone.load_state_dict(bad)
except RuntimeError as e:
    print(e)
