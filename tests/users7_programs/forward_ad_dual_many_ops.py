import torch
import torch.autograd.forward_ad as fwAD

x = torch.tensor([0.5, 1.5, -0.7], dtype=torch.float64)
v = torch.tensor([1.0, 0.0, 2.0], dtype=torch.float64)
ops = {
    "exp": torch.exp, "log": lambda t: torch.log(t.abs()), "sin": torch.sin, "cos": torch.cos,
    "tanh": torch.tanh, "sigmoid": torch.sigmoid, "softplus": torch.nn.functional.softplus,
    "relu": torch.relu, "pow3": lambda t: t ** 3, "sqrt": lambda t: t.abs().sqrt(),
    "softmax": lambda t: torch.softmax(t, 0), "logsumexp": lambda t: torch.logsumexp(t, 0),
    "cumsum": lambda t: t.cumsum(0), "prod": lambda t: t.prod(), "norm": lambda t: t.norm(),
    "atan": torch.atan, "erf": torch.erf, "clamp": lambda t: t.clamp(-0.5, 1.0),
    "where": lambda t: torch.where(t > 0, t * 2, -t), "outer": lambda t: torch.outer(t, t).sum(0),
    "matmul": lambda t: torch.ones(2, 3, dtype=torch.float64) @ t, "max": lambda t: t.max(),
    "mean": lambda t: t.mean(), "var": lambda t: t.var(), "sort": lambda t: t.sort().values,
    "flip": lambda t: t.flip(0), "cat": lambda t: torch.cat([t, t * 2]), "gelu": torch.nn.functional.gelu,
    "silu": torch.nn.functional.silu, "elu": torch.nn.functional.elu, "abs": torch.abs,
    "div": lambda t: 1 / (t + 3), "atan2": lambda t: torch.atan2(t, t + 2), "hypot": lambda t: torch.hypot(t, t + 1),
}
with fwAD.dual_level():
    for name, op in ops.items():
        dual = fwAD.make_dual(x, v)
        out = op(dual)
        p, t = fwAD.unpack_dual(out)
        print(f"{name:10s}", p.numpy().round(6), None if t is None else t.numpy().round(6))
# %%
with fwAD.dual_level():
    dual = fwAD.make_dual(x, v)
    out = dual.exp().sum()
    print(out)
    unpacked = fwAD.unpack_dual(out)
    print(type(unpacked).__name__, unpacked.tangent, unpacked.primal)
    print(fwAD.unpack_dual(x).tangent)
print(fwAD.unpack_dual(x))
# %%
# forward-mode through an nn.Linear with a tangent on the weight
lin = torch.nn.Linear(3, 2).double()
torch.manual_seed(0)
lin.reset_parameters()
with fwAD.dual_level():
    inp = fwAD.make_dual(x, v)
    out = lin(inp)
    try:
        print(fwAD.unpack_dual(out).tangent.numpy().round(6))
    except RuntimeError as e:
        print(e)
    print(fwAD.unpack_dual(out).tangent.detach().numpy().round(6))
    print(torch.allclose(fwAD.unpack_dual(out).tangent, lin.weight.detach() @ v))
# %%
try:
    with fwAD.dual_level():
        fwAD.make_dual(x, torch.ones(2, dtype=torch.float64))
except RuntimeError as e:
    print(str(e)[:80])
