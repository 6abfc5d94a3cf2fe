import torch
import torch.autograd.forward_ad as fwAD

primal = torch.tensor([[0.1, 0.2], [0.3, -0.4]])
tangent = torch.tensor([[1.0, 0.0], [0.5, 2.0]])

def fn(x, y):
    return x ** 2 + y ** 2

with fwAD.dual_level():
    dual_input = fwAD.make_dual(primal, tangent)
    assert fwAD.unpack_dual(dual_input).tangent is tangent
    dual_input_alt = fwAD.make_dual(primal, tangent.T)
    assert fwAD.unpack_dual(dual_input_alt).tangent is not tangent
    plain_tensor = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    dual_output = fn(dual_input, plain_tensor)
    jvp = fwAD.unpack_dual(dual_output).tangent
    print(jvp)
    print(fwAD.unpack_dual(dual_output).primal)
    p, t = fwAD.unpack_dual(dual_output)
    print(t is jvp)
print(fwAD.unpack_dual(dual_output).tangent)
# %%
import torch.nn as nn
model = nn.Linear(5, 5)
with torch.no_grad():
    model.weight.copy_(torch.eye(5) * 0.5 + 0.1)
    model.bias.fill_(0.2)
input = torch.tensor([[1., 2., 3., 4., 5.], [0., -1., 0., 1., 0.], [1., 1., 1., 1., 1.], [0.5, 0.5, 0., 0., 2.], [3., 2., 1., 0., -1.], [1., 0., 0., 0., 0.], [0., 0., 0., 0., 1.], [2., 2., 2., 2., 2.], [-1., -2., -3., -4., -5.], [0.1, 0.2, 0.3, 0.4, 0.5], [9., 8., 7., 6., 5.], [0., 1., 0., 1., 0.], [5., 4., 3., 2., 1.], [1., -1., 1., -1., 1.], [0., 0., 1., 0., 0.], [2., 0., 2., 0., 2.]])
params = {name: p for name, p in model.named_parameters()}
tangents = {name: torch.ones_like(p) for name, p in params.items()}
with fwAD.dual_level():
    for name, p in params.items():
        delattr(model, name)
        setattr(model, name, fwAD.make_dual(p, tangents[name]))
    out = model(input)
    jvp = fwAD.unpack_dual(out).tangent
numeric(jvp[:3].detach())   # (torch's tangent carries a graph here: jitgrad's is a constant)
# %%
from torch.func import functional_call
model = nn.Linear(5, 5)
with torch.no_grad():
    model.weight.copy_(torch.eye(5) * 0.5 + 0.1)
    model.bias.fill_(0.2)
params = {name: p for name, p in model.named_parameters()}
tangents = {name: torch.ones_like(p) for name, p in params.items()}
with fwAD.dual_level():
    dual_params = {}
    for name, p in params.items():
        dual_params[name] = fwAD.make_dual(p, tangents[name])
    out = functional_call(model, dual_params, input)
    jvp2 = fwAD.unpack_dual(out).tangent
print(torch.allclose(jvp, jvp2))
# %%
class Fn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, foo):
        result = torch.exp(foo)
        ctx.result = result
        return result

    @staticmethod
    def jvp(ctx, gI):
        gO = gI * ctx.result
        del ctx.result
        return gO

fn = Fn.apply
primal = torch.tensor([0.5, -0.25, 1.0], dtype=torch.double, requires_grad=True)
tangent = torch.tensor([1.0, 2.0, 3.0], dtype=torch.double)
with fwAD.dual_level():
    dual_input = fwAD.make_dual(primal, tangent)
    dual_output = fn(dual_input)
    jvp = fwAD.unpack_dual(dual_output).tangent
numeric(jvp.detach())
print(torch.autograd.gradcheck(Fn.apply, (primal,), check_forward_ad=True, check_backward_ad=False, check_undefined_grad=False, check_batched_grad=False))
# %%
fwAD.make_dual(torch.ones(2), torch.ones(2))
# %%
with fwAD.dual_level():
    fwAD.make_dual(torch.ones(2), torch.ones(3))
# %%
class Wrong(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.exp()
    @staticmethod
    def jvp(ctx, g):
        return g * 2
    @staticmethod
    def backward(ctx, g):
        return g
x = torch.tensor([0.5, 1.0], dtype=torch.double, requires_grad=True)
print(torch.autograd.gradcheck(Wrong.apply, (x,), check_forward_ad=True, check_backward_ad=False,
                               check_undefined_grad=False, raise_exception=False))
torch.autograd.gradcheck(Wrong.apply, (x,), check_forward_ad=True, check_backward_ad=False, check_undefined_grad=False)
# %%
torch.autograd.gradcheck(torch.sin, (x,), check_forward_ad=True)
