import torch
from torch.func import grad, vmap, jacrev, jacfwd, hessian, functional_call
torch.manual_seed(30)
def show(fn):
    try:
        r = fn()
        print("ok", r)
    except Exception as e:
        print(type(e).__name__, ":", str(e)[:400])
x = torch.randn(3)
show(lambda: grad(lambda v: v * 2)(x))
show(lambda: grad(lambda v: (v * 2).sum(), argnums=1)(x))
show(lambda: grad(lambda v: (v * 2).sum(), argnums=(0, 0))(x))
show(lambda: grad(lambda v: 3.0)(x))
show(lambda: grad(lambda v: (v.sum(), v), has_aux=False)(x))
show(lambda: grad(lambda v: v.sum(), has_aux=True)(x))
show(lambda: vmap(lambda v: v.sum(), in_dims=1)(x))
show(lambda: vmap(lambda v, w: v * w)(x, torch.randn(4)))
show(lambda: vmap(lambda v: v.item())(x))
show(lambda: vmap(lambda v: v, out_dims=2)(x))
show(lambda: vmap(lambda v: v * 2, in_dims=(0, 0))(x))
show(lambda: vmap(torch.sum, chunk_size=0)(x))
show(lambda: jacrev(lambda v: v.sum(), argnums=2)(x))
show(lambda: jacfwd(lambda v: v.sum(), randomness="bad")(x))
show(lambda: vmap(lambda v: torch.rand(1), randomness="error")(x))
show(lambda: hessian(lambda v: v)(x).shape)
show(lambda: functional_call(torch.nn.Linear(3, 1), {"weight": torch.ones(1, 3), "bias2": torch.ones(1)}, (x,)))
show(lambda: functional_call(torch.nn.Linear(3, 1), {"weight": torch.ones(1, 3)}, (x,), strict=True))
show(lambda: jacrev(lambda v: v * 2, chunk_size=0)(x))
