import torch
from torch.func import jvp, vjp, linearize, jacfwd

def f(x, y):
    return torch.sin(x) * y + x ** 2

x = torch.tensor([0.1, 0.2, 0.3])
y = torch.tensor([1.0, -1.0, 2.0])
out, tang = jvp(f, (x, y), (torch.ones(3), torch.zeros(3)))
print(out, tang)
out, vjp_fn = vjp(f, x, y)
gx, gy = vjp_fn(torch.ones(3))
print(gx, gy)
print(type(vjp_fn).__name__ if False else callable(vjp_fn))
# %%
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # torch.fx's const-folding chatter
    out, jvp_fn = linearize(lambda x: f(x, y), x)
    print(out)
    print(jvp_fn(torch.ones(3)))
    print(jvp_fn(torch.tensor([1.0, 0.0, 0.0])))
# %%
# jvp with has_aux and a scalar function
def g(x):
    return (x ** 3).sum(), {"mean": x.mean()}
o, t, aux = jvp(g, (x,), (torch.ones(3),), has_aux=True)
print(o, t, aux)
o, fn, aux = vjp(g, x, has_aux=True)
print(fn(torch.tensor(1.0)), aux["mean"])
# %%
# directional derivative vs jacobian
J = jacfwd(lambda x: f(x, y))(x)
v = torch.tensor([0.5, -1.0, 2.0])
print(torch.allclose(J @ v, jvp(lambda x: f(x, y), (x,), (v,))[1]))
# errors
try:
    jvp(f, (x, y), (torch.ones(3),))
except RuntimeError as e:
    print(e)
try:
    jvp(f, (x, y), (torch.ones(2), torch.ones(3)))
except RuntimeError as e:
    print(e)
for prim, tan in [((x,), [torch.ones(3)]), (({"a": x},), ({"a": x, "b": x},)), ((x.long(),), (x.long(),)), ((x,), (x.long(),))]:
    try:
        jvp(lambda t: t, prim, tan)
    except (RuntimeError, ValueError) as e:
        print(type(e).__name__, e)
