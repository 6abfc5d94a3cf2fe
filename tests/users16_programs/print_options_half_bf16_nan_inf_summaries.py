import torch

t = torch.tensor([1e-8, 1.0, 12345.678, -0.5])
print(t)
torch.set_printoptions(precision=2)
print(t)
torch.set_printoptions(sci_mode=False)
print(t)
torch.set_printoptions(precision=6, sci_mode=True)
print(t)
torch.set_printoptions(profile="default")
print(t)
# %%
h = torch.tensor([0.1, 65504.0, 6e-5, float("nan"), -float("inf")], dtype=torch.float16)
print(h)
print(h.dtype, h.element_size(), h.float())
print(torch.tensor([1.0, 2.0], dtype=torch.float16) / 3)
print(torch.finfo(torch.float16))
print(torch.finfo(torch.float16).tiny, torch.iinfo(torch.int16))
# %%
torch.set_printoptions(threshold=10, edgeitems=2)
print(torch.arange(25.0).reshape(5, 5))
print(torch.arange(30))
print(torch.zeros(3, 4, 5, dtype=torch.bool))
torch.set_printoptions(profile="default")
# %%
torch.set_printoptions(linewidth=40)
print(torch.linspace(-1, 1, 12))
print(torch.randn(2, 6, generator=torch.Generator().manual_seed(0)) * 1000)
torch.set_printoptions(profile="default")
# %%
x = torch.tensor([[float("nan"), 1.0], [float("inf"), -float("inf")]])
print(x, x.isnan().any(), x.isfinite())
print(torch.nan_to_num(x, nan=0.0, posinf=1e4))
print(torch.tensor([1, -2, 300000], dtype=torch.int32), torch.tensor([True, False]))
print(torch.tensor([1e20, 1e-20]), torch.tensor([100.0, 1e-3]), torch.tensor([123456789.0]))
# %%
p = torch.nn.Parameter(torch.tensor([[0.25, -1.5]]))
print(p)
print(repr(p.data), p.shape, p.size(1), torch.Size([2, 3]))
print(p * 2)
print(p.half())
# %%
v = torch.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
print(v.max(dim=1))
print(torch.sort(v, dim=1, descending=True))
print(v.topk(2))
print(torch.linalg.svd(torch.tensor([[2.0, 0.0], [0.0, 1.0]])))
print(v.min(0).indices, torch.aminmax(v))
print(torch.linalg.slogdet(torch.eye(2) * 2))
# %%
# utilities that check result types (pytree-style code, loggers)
def describe(r):
    if isinstance(r, torch.return_types.max):
        return f"max values={r.values.tolist()}"
    if isinstance(r, (torch.return_types.sort, torch.return_types.topk)):
        return f"{type(r).__name__} indices={r.indices.tolist()}"
    return type(r).__name__
print(describe(v.max(1)), describe(v.sort(1)), describe(v.topk(1)), describe(torch.linalg.qr(torch.eye(2))))
print(torch.return_types.linalg_svd, type(v.min(0)) is torch.return_types.min, torch.return_types.aminmax)
print(torch.float32.to_real(), torch.float16.to_real())
