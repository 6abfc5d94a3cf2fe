import torch
import torch.autograd.forward_ad as fwAD
torch.manual_seed(0)
x = torch.randn(3)
t = torch.ones(3)
with fwAD.dual_level():
    d = fwAD.make_dual(x, t)
    print(d)
    u = fwAD.unpack_dual(d)
    print(type(u).__name__, u._fields, u.primal is x, u.tangent is t)
    print(fwAD.unpack_dual(x))
    y = d.sin() * 2
    print(y)
    p, tt = fwAD.unpack_dual(y)
    numeric(p); numeric(tt)
print(fwAD.unpack_dual(y))
# %%
with fwAD.dual_level():
    d = fwAD.make_dual(x, torch.ones(4))
# %%
with fwAD.dual_level():
    d = fwAD.make_dual(torch.arange(3), torch.ones(3))
# %%
fwAD.make_dual(x, t)
# %%
with fwAD.dual_level():
    with fwAD.dual_level():
        pass
# %%
with fwAD.dual_level():
    d = fwAD.make_dual(x.clone(), t)
    e = d[1:] * 2
    print(fwAD.unpack_dual(e).tangent)
    f = d.view(3, 1).expand(3, 2).exp()
    numeric(fwAD.unpack_dual(f).tangent)
# %%
w = torch.randn(3, requires_grad=True)
with fwAD.dual_level():
    d = fwAD.make_dual(w, t)
    out = (d * d).sum()
    tan = fwAD.unpack_dual(out).tangent
    print(out.requires_grad, tan.requires_grad)
    tan.backward()
print(w.grad)
numeric(w.grad)
# %%
with fwAD.dual_level():
    a = fwAD.make_dual(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 0.0]))
    b = fwAD.make_dual(torch.tensor([3.0, 4.0]), torch.tensor([0.0, 1.0]))
    for name, op in [("mul", torch.mul), ("div", torch.div), ("pow", torch.pow), ("atan2", torch.atan2),
                     ("max", torch.maximum), ("hypot", torch.hypot)]:
        r = op(a, b)
        print(name, fwAD.unpack_dual(r).tangent)
