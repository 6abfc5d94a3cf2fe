import torch
import torch.nn as nn
import torch.autograd.forward_ad as fwAD
from torch.func import functional_call, jvp
torch.manual_seed(0)
model = nn.Sequential(nn.Conv1d(2, 3, 3), nn.BatchNorm1d(3), nn.GELU(), nn.Flatten(), nn.Linear(9, 2))
model.eval()
x = torch.randn(4, 2, 5)
params = dict(model.named_parameters())
buffers = dict(model.named_buffers())
tangents = {k: torch.randn_like(v) for k, v in params.items()}


def f(p):
    return functional_call(model, (p, buffers), (x,))


out, jvp_out = jvp(f, (params,), (tangents,))
print(out.shape, jvp_out.shape, jvp_out.requires_grad)
numeric(jvp_out)
# %%
with fwAD.dual_level():
    dual = {k: fwAD.make_dual(v, tangents[k]) for k, v in params.items()}
    o = functional_call(model, (dual, buffers), (x,))
    t = fwAD.unpack_dual(o).tangent
print(torch.allclose(t, jvp_out, atol=1e-5))
# %%
xt = torch.randn_like(x)
with fwAD.dual_level():
    o = model(fwAD.make_dual(x, xt))
    tx = fwAD.unpack_dual(o).tangent
numeric(tx)
out2, jx = jvp(model, (x,), (xt,))
numeric(jx)
# %%
model.train()
with fwAD.dual_level():
    o = model(fwAD.make_dual(x, xt))
    numeric(fwAD.unpack_dual(o).tangent)
print(model[1].running_mean)
# %%
rnn = nn.GRU(2, 3, batch_first=True)
seq = torch.randn(2, 4, 2)
with fwAD.dual_level():
    out, h = rnn(fwAD.make_dual(seq, torch.ones_like(seq)))
    numeric(fwAD.unpack_dual(h).tangent)
