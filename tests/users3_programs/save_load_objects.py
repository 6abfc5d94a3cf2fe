# ruff: noqa: F821
import io
import torch
torch.manual_seed(68)

obj = {"w": torch.randn(2, 3), "ints": torch.arange(4), "flag": torch.tensor([True, False]), "list": [torch.ones(1), 3.5, "x"],
       "nested": {"d": torch.zeros(2, dtype=torch.float64)}, "step": 7}
buf = io.BytesIO()
torch.save(obj, buf)
buf.seek(0)
back = torch.load(buf)
print(sorted(back), back["step"], back["list"][1:], back["nested"]["d"].dtype, back["flag"].dtype)
print(torch.equal(back["w"], obj["w"]), back["ints"].tolist())
numeric([back["w"]])
# %%
t = torch.arange(10.0)
buf = io.BytesIO()
torch.save({"t": t, "same": t}, buf)
buf.seek(0)
r = torch.load(buf)
r["same"][0] = 100.0
print(r["t"][:5], r["t"] is r["same"])
p = torch.nn.Parameter(torch.ones(2))
buf = io.BytesIO()
torch.save(p, buf)
buf.seek(0)
q = torch.load(buf)
print(type(q).__name__, q.requires_grad, q)
req = torch.ones(2, requires_grad=True) * 2
buf = io.BytesIO()
torch.save(req.detach(), buf)
buf.seek(0)
print(torch.load(buf), torch.load(io.BytesIO(buf.getvalue()), weights_only=True))
