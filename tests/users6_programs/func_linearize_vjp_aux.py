import torch
from torch.func import linearize, vjp, jvp, jacfwd
import warnings
x = torch.tensor([0.3, -0.7, 1.1], dtype=torch.float64)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")     # (torch.fx's notes while linearize traces)
    out, jvp_fn = linearize(lambda a: a.sin() * a, x)
print(out, jvp_fn(torch.ones(3, dtype=torch.float64)))
print(jvp_fn(torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64)))
# %%
def f(a):
    y = a.exp()
    return y.sum(), {"mean": y.mean().detach()}
val, pullback, aux = vjp(f, x, has_aux=True)
print(val, aux, pullback(torch.tensor(1.0, dtype=torch.float64)))
o, t, aux2 = jvp(lambda a: (a ** 2, a.max()), (x,), (torch.ones(3, dtype=torch.float64),), has_aux=True)
print(o, t, aux2)
# %%
try:
    vjp(f, x)
except Exception as e:
    print(type(e).__name__, str(e)[:120])
J, aux3 = jacfwd(lambda a: (a.cumsum(0), a.argmax()), has_aux=True)(x)
print(J, aux3)
