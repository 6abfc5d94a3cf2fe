import torch
from torch.func import vmap, grad, jacrev
print(vmap(grad(lambda x: torch.sin(x).sum()), in_dims=1, out_dims=1)(torch.ones(2, 3)))
print(vmap(lambda x, y: (x * y).sum(), in_dims=(0, None))(torch.ones(3, 2), torch.tensor([1.0, 2.0])))
print(vmap(lambda x: x.T @ x)(torch.ones(2, 3, 2)).shape)
print(vmap(lambda x: x.unsqueeze(0).expand(2, -1).reshape(-1))(torch.arange(6.0).reshape(2, 3)))
print(vmap(lambda x: torch.stack([x, -x]), out_dims=2)(torch.arange(6.0).reshape(2, 3)).shape)
print(vmap(lambda x: torch.cat([x, x.flip(0)]))(torch.arange(6.0).reshape(2, 3)))
print(vmap(lambda x: x.cumsum(0) + x.cumprod(0))(torch.arange(1.0, 7.0).reshape(2, 3)))
print(vmap(lambda x: torch.nn.functional.linear(x, torch.eye(3), torch.ones(3)))(torch.arange(6.0).reshape(2, 3)))
print(vmap(lambda x: torch.nn.functional.conv1d(x[None], torch.ones(1, 1, 2))[0])(torch.arange(8.0).reshape(2, 1, 4)))
print(vmap(lambda x: x.argmax())(torch.tensor([[1.0, 3.0], [5.0, 2.0]])), vmap(lambda x: x.topk(1).values)(torch.tensor([[1.0, 3.0], [5.0, 2.0]])))
# %%
print(vmap(lambda x: torch.zeros(2) + x.sum())(torch.ones(3, 2)), vmap(lambda x: torch.ones_like(x) * x)(torch.ones(2, 2)))
print(vmap(lambda x: x, in_dims=-1)(torch.arange(6.0).reshape(2, 3)), vmap(lambda x: x.sum(-1), in_dims=0, out_dims=-1)(torch.ones(2, 3, 4)).shape)
print(vmap(lambda a: {"s": a.sum(), "d": a * 2})(torch.ones(2, 2)))
print(vmap(lambda a, n: a * n, in_dims=(0, None))(torch.ones(2, 2), 3))
print(vmap(vmap(lambda a, b: a * b, in_dims=(0, None)), in_dims=(None, 0))(torch.arange(3.0), torch.arange(2.0)))
print(vmap(jacrev(lambda x: x.sin() * x.sum()))(torch.arange(4.0).reshape(2, 2)))
# %%
for bad in [lambda: vmap(lambda x: x, in_dims=(0, 0))(torch.ones(2)),
            lambda: vmap(lambda x: x, out_dims=(0, 0))(torch.ones(2)),
            lambda: vmap(lambda x: 1.0)(torch.ones(2)),
            lambda: vmap(lambda x: x)(torch.tensor(1.0)),
            lambda: vmap(lambda x: x, in_dims=2)(torch.ones(2, 2)),
            lambda: vmap(lambda x: x.item())(torch.ones(2)),
            lambda: vmap(lambda x: x.sum() if x[0] > 0 else x.prod())(torch.ones(2, 2)),
            lambda: vmap(lambda x: torch.randn(()) + x)(torch.ones(2))]:
    try:
        bad()
    except (ValueError, RuntimeError) as e:
        print(type(e).__name__, str(e)[:150])
