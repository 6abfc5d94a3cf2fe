import torch
import torch.autograd.forward_ad as fwAD
import torch.nn.functional as F
torch.manual_seed(3)
conv = torch.nn.Conv1d(2, 3, 3, padding=1)
bn = torch.nn.BatchNorm1d(3)
x = torch.randn(4, 2, 6)
t = torch.randn(4, 2, 6)
with fwAD.dual_level():
    y = bn(conv(fwAD.make_dual(x, t)))
    p, tg = fwAD.unpack_dual(y)
    print(p.shape, p.requires_grad, tg.requires_grad)
    numeric(tg)
# %%
ln = torch.nn.LayerNorm(6)
emb = torch.nn.Linear(6, 6)
with fwAD.dual_level():
    z = F.softmax(emb(ln(fwAD.make_dual(x, t))), -1)
    numeric(fwAD.unpack_dual(z).tangent)
    print(fwAD.unpack_dual(z).tangent.requires_grad)
# %%
with fwAD.dual_level():
    d = fwAD.make_dual(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 0.0, -1.0]))
    v = d[1:]
    print(fwAD.unpack_dual(v).tangent)
    e = d.clone()
    e.mul_(2)
    print(fwAD.unpack_dual(e).tangent)
    print(fwAD.unpack_dual(d.sum()).tangent, fwAD.unpack_dual(torch.cat([d, d])).tangent)
# %%
with fwAD.dual_level():
    with fwAD.dual_level():
        pass
# %%
with fwAD.dual_level():
    d = fwAD.make_dual(torch.tensor([1, 2]), torch.tensor([1, 1]))
