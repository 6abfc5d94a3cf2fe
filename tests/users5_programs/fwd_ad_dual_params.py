import torch
import torch.autograd.forward_ad as fwAD
from torch.func import functional_call
torch.manual_seed(1)
model = torch.nn.Linear(3, 3)
params = {name: p for name, p in model.named_parameters()}
tangents = {name: torch.rand_like(p) for name, p in params.items()}
x = torch.randn(2, 3)
with fwAD.dual_level():
    dual_params = {}
    for name, p in params.items():
        dual_params[name] = fwAD.make_dual(p, tangents[name])
    out = functional_call(model, dual_params, (x,))
    jvp_out = fwAD.unpack_dual(out).tangent
    print(jvp_out)
    print(fwAD.unpack_dual(out).primal.requires_grad, jvp_out.requires_grad)
# %%
with fwAD.dual_level():
    for name, p in params.items():
        delattr(model, name)
        setattr(model, name, fwAD.make_dual(p, tangents[name]))
    out = model(x)
    print(fwAD.unpack_dual(out).tangent)
    print(type(model.weight).__name__)
# %%
with fwAD.dual_level():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    d = fwAD.make_dual(a, torch.tensor([0.5, -1.0]))
    print(d.requires_grad, d.is_leaf, d.grad_fn is not None)
    u = fwAD.unpack_dual(d)
    print(u.primal.requires_grad, u.tangent.requires_grad, u.primal is a)
    y = (d * d).sin()
    print(fwAD.unpack_dual(y))
    fwAD.unpack_dual(y).primal.sum().backward()
    print(a.grad)
