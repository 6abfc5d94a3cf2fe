import torch
from torch.func import functional_call, grad, vmap
import torch.nn as nn
torch.manual_seed(0)
m = nn.Linear(3, 1)
p = {k: v.detach().clone() for k, v in m.named_parameters()}
x = torch.randn(4, 3)
try:
    functional_call(m, {"weight": p["weight"]}, (x,), strict=True)
except RuntimeError as e:
    print(e)
print(functional_call(m, {"weight": torch.zeros(1, 3)}, (x,)).flatten())
def loss_fn(params, x):
    out = functional_call(m, params, (x,))
    out.sum().backward()
    return out.sum()
try:
    grad(loss_fn)(p, x)
except RuntimeError as e:
    print(e)
def f(params, x):
    return functional_call(m, params, x).pow(2).mean()
g = grad(f)(p, x)
print({k: v.shape for k, v in g.items()})
print(torch.allclose(g["bias"], 2 * functional_call(m, p, x).mean()))
try:
    grad(lambda t: t * 2)(torch.ones(2))
except RuntimeError as e:
    print(e)
try:
    grad(lambda t: t.sum())(torch.ones(2, dtype=torch.long))
except RuntimeError as e:
    print(e)
print(grad(lambda a, b: (a * b).sum(), argnums=1)(torch.ones(2), torch.tensor([2.0, 3.0])))
bn = nn.BatchNorm1d(3)
try:
    vmap(lambda xx: functional_call(bn, dict(bn.named_parameters()), (xx,)))(torch.randn(2, 4, 3))
except Exception as e:
    print(type(e).__name__, str(e)[:100])
# %%
from torch.func import jacfwd, hessian, vjp
w = torch.ones(2, requires_grad=True)
def uses_outer_backward(t):
    (w * 3).sum().backward()
    return (t * 2).sum()
for name, run in [("vmap", lambda: vmap(uses_outer_backward)(torch.ones(3, 2))),
                  ("jacfwd", lambda: jacfwd(uses_outer_backward)(torch.ones(2))),
                  ("hessian", lambda: hessian(uses_outer_backward)(torch.ones(2))),
                  ("vjp", lambda: vjp(uses_outer_backward, torch.ones(2)))]:
    try:
        run()
    except RuntimeError as e:
        print(name, e)
print(w.grad)
print(torch.autograd.functional.jacobian(uses_outer_backward, torch.ones(2)), w.grad)
