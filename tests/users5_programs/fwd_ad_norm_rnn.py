import torch
import torch.autograd.forward_ad as fwAD
torch.manual_seed(6)
bn = torch.nn.BatchNorm1d(3)
lstm = torch.nn.LSTM(3, 2, batch_first=True)
x = torch.randn(4, 3)
with fwAD.dual_level():
    y = bn(fwAD.make_dual(x, torch.ones_like(x)))
    numeric(fwAD.unpack_dual(y).tangent)
    print(bn.running_mean.requires_grad, fwAD.unpack_dual(bn.running_mean).tangent is None)
numeric(bn.running_mean)
# %%
seq = torch.randn(1, 5, 3)
with fwAD.dual_level():
    out, (h, c) = lstm(fwAD.make_dual(seq, torch.ones_like(seq)))
    tg = fwAD.unpack_dual(h).tangent
    print(tg.shape, tg.requires_grad, fwAD.unpack_dual(out).primal.requires_grad)
    numeric(tg.detach())
# %%
for cls in (torch.nn.GRU, torch.nn.RNN):
    m = cls(3, 2, batch_first=True)
    with fwAD.dual_level():
        out, h = m(fwAD.make_dual(seq, torch.ones_like(seq)))
        numeric(fwAD.unpack_dual(h).tangent.detach())
m = torch.nn.LSTM(3, 2, batch_first=True).double()
with fwAD.dual_level():
    out, (h, c) = m(fwAD.make_dual(seq.double(), torch.ones_like(seq.double())))
    numeric(fwAD.unpack_dual(h).tangent.detach())
# %%
lstm = torch.nn.LSTM(3, 2, batch_first=True)
with fwAD.dual_level():
    params = {k: fwAD.make_dual(v, torch.ones_like(v)) for k, v in lstm.named_parameters()}
    torch.func.functional_call(lstm, params, (seq,))
