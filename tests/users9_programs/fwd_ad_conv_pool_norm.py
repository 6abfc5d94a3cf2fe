import torch
import torch.nn.functional as F
import torch.autograd.forward_ad as fwAD
torch.manual_seed(0)
x = torch.randn(1, 2, 5, 5)
t = torch.randn(1, 2, 5, 5)
w = torch.randn(3, 2, 3, 3)
with fwAD.dual_level():
    d = fwAD.make_dual(x, t)
    for name, fn in [("conv", lambda v: F.conv2d(v, w, padding=1)), ("maxpool", lambda v: F.max_pool2d(v, 2)),
                     ("avgpool", lambda v: F.avg_pool2d(v, 2)), ("bn", lambda v: F.batch_norm(v, None, None, training=True)),
                     ("gn", lambda v: F.group_norm(v, 1)), ("interp", lambda v: F.interpolate(v, scale_factor=2)),
                     ("pad", lambda v: F.pad(v, (1, 1))), ("adapt", lambda v: F.adaptive_avg_pool2d(v, 1))]:
        out = fn(d)
        numeric(fwAD.unpack_dual(out).tangent)
        print(name, fwAD.unpack_dual(out).tangent.shape)
# %%
try:
    with fwAD.dual_level():
        fwAD.make_dual(torch.ones(2), torch.ones(3))
except RuntimeError as e:
    print(e)
try:
    fwAD.make_dual(torch.ones(2), torch.ones(2))
except RuntimeError as e:
    print(e)
with fwAD.dual_level():
    try:
        fwAD.make_dual(torch.ones(2, dtype=torch.long), torch.ones(2, dtype=torch.long))
    except (RuntimeError, ValueError) as e:
        print(type(e).__name__, e)
    d = fwAD.make_dual(torch.ones(2), torch.tensor([1.0, 2.0]))
    print(d)
    y = d * 3
    print(fwAD.unpack_dual(y))
    print(fwAD.unpack_dual(torch.ones(2)))
    emb = torch.nn.Embedding(4, 2)
    idx = torch.tensor([1, 2])
    wd = fwAD.make_dual(emb.weight.detach(), torch.ones(4, 2))
    print(fwAD.unpack_dual(F.embedding(idx, wd)).tangent)
    ce = F.cross_entropy(fwAD.make_dual(torch.zeros(2, 3), torch.eye(2, 3)), torch.tensor([0, 2]))
    print(fwAD.unpack_dual(ce).tangent)
print(fwAD.unpack_dual(y))
