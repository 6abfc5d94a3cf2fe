import copy, io, os, tempfile
import torch
import torch.nn as nn
torch.manual_seed(0)
m = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
sd = m.state_dict()
bad = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
try:
    bad.load_state_dict(sd)
except RuntimeError as e:
    print(e)
opt = torch.optim.Adam(m.parameters())
m(torch.ones(1, 2)).sum().backward(); opt.step()
opt2 = torch.optim.Adam(nn.Linear(2, 2).parameters())
try:
    opt2.load_state_dict(opt.state_dict())
except ValueError as e:
    print(e)
m2 = copy.deepcopy(m)
print(m2[0].weight.data_ptr() != m[0].weight.data_ptr(), torch.equal(m2[0].weight, m[0].weight), m2[0].weight.grad is not None)
path = os.path.join(tempfile.mkdtemp(), "ckpt.pt")
torch.save({"model": m.state_dict(), "step": 1, "note": "hi", "t": torch.arange(3)}, path)
ck = torch.load(path, weights_only=True)
print(sorted(ck), ck["t"], ck["note"])
buf = io.BytesIO()
torch.save(m, buf)
buf.seek(0)
try:
    torch.load(buf)
except Exception as e:
    print(type(e).__name__, str(e)[:80])
buf.seek(0)
m3 = torch.load(buf, weights_only=False)
print(type(m3).__name__, m3(torch.ones(1, 2)).shape)
t = torch.tensor([1.0, 2.0], requires_grad=True)
print(copy.deepcopy(t), copy.copy(t).requires_grad)
try:
    copy.deepcopy(t * 2)
except RuntimeError as e:
    print(e)
