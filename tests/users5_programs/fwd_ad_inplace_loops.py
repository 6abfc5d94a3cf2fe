import torch
import torch.autograd.forward_ad as fwAD
w = torch.tensor([2.0, -1.0], requires_grad=True)
t = torch.tensor([1.0, 1.0], requires_grad=True)
with fwAD.dual_level():
    d = fwAD.make_dual(torch.tensor([0.5, 1.5]), t)
    y = (d * w).exp()
    tan = fwAD.unpack_dual(y).tangent
    print(tan.requires_grad, tan.grad_fn.name())
    tan.sum().backward()
print(w.grad, t.grad)
# %%
with fwAD.dual_level():
    d = fwAD.make_dual(torch.tensor([0.5, 1.5]), torch.tensor([1.0, 0.0]))
    z = d.clone()
    z.mul_(w)
    print(fwAD.unpack_dual(z).tangent)
    v = d.view(2, 1)
    print(fwAD.unpack_dual(v).tangent.shape)
    print(fwAD.unpack_dual(torch.tensor([1, 2])))
# %%
w.grad = None
with fwAD.dual_level():
    d = fwAD.make_dual(torch.tensor([0.5, 1.5]), torch.tensor([1.0, 0.0]))
    for i in range(3):
        out = (d * w).sin().sum()
        p, tg = fwAD.unpack_dual(out)
        (p + tg).backward()
print(w.grad)
