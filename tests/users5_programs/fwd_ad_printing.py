import torch
import torch.autograd.forward_ad as fwAD
a = torch.tensor([1.0, 2.0], requires_grad=True)
with fwAD.dual_level():
    d = fwAD.make_dual(a, torch.tensor([0.5, -1.0]))
    print(d)
    print(d.grad_fn.name(), d.is_leaf, d.requires_grad)
    e = d * 2
    print(e)
    f = fwAD.make_dual(torch.tensor(3.0), torch.tensor(1.0))
    print(f, f ** 2)
    g = fwAD.make_dual(torch.zeros(2, 2), torch.eye(2))
    print(g.T @ g + 1)
    print(fwAD.unpack_dual(a))
