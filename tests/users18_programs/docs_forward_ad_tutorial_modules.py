import torch
import torch.autograd.forward_ad as fwAD
import torch.nn as nn
from torch.func import functional_call

primal = torch.randn(10, 10)
tangent = torch.randn(10, 10)

def fn(x, y):
    return x ** 2 + y ** 2

with fwAD.dual_level():
    dual_input = fwAD.make_dual(primal, tangent)
    assert fwAD.unpack_dual(dual_input).tangent is tangent
    dual_input_alt = fwAD.make_dual(primal, tangent.T)
    assert fwAD.unpack_dual(dual_input_alt).tangent is not tangent
    plain_tensor = torch.randn(10, 10)
    dual_output = fn(dual_input, plain_tensor)
    jvp = fwAD.unpack_dual(dual_output).tangent
print(fwAD.unpack_dual(dual_output).tangent)
print(torch.allclose(jvp, 2 * primal * tangent))
# %%
torch.manual_seed(0)
model = nn.Linear(5, 5)
input = torch.randn(16, 5)
params = {name: p for name, p in model.named_parameters()}
tangents = {name: torch.rand_like(p) for name, p in params.items()}
with fwAD.dual_level():
    for name, p in params.items():
        delattr(model, name)
        setattr(model, name, fwAD.make_dual(p, tangents[name]))
    out = model(input)
    jvp = fwAD.unpack_dual(out).tangent
print(jvp.shape, torch.allclose(jvp, input @ tangents["weight"].T + tangents["bias"], atol=1e-6))
# %%
model = nn.Linear(5, 5)
dual_params = {}
with fwAD.dual_level():
    for name, p in params.items():
        dual_params[name] = fwAD.make_dual(p, tangents[name])
    out = functional_call(model, dual_params, input)
    jvp2 = fwAD.unpack_dual(out).tangent
print(torch.allclose(jvp, jvp2))
# %%
x = torch.tensor([1.0, 2.0])
with fwAD.dual_level():
    d = fwAD.make_dual(x, torch.tensor([1.0, 0.0]))
    y = d.sin() * d.exp()
    print(fwAD.unpack_dual(y))
    print(type(fwAD.unpack_dual(y)).__name__, fwAD.unpack_dual(x).tangent)
    try:
        fwAD.make_dual(x, torch.ones(3))
    except RuntimeError as e:
        print(e)
try:
    fwAD.make_dual(x, torch.ones(2))
except RuntimeError as e:
    print(e)
print(torch.func.jvp(torch.sin, (x,), (torch.ones(2),)))
