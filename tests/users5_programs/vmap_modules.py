import torch
# vmap of common nn modules
torch.manual_seed(0)
lin = torch.nn.Linear(3, 2)
x = torch.randn(4, 5, 3)
print(torch.allclose(torch.func.vmap(lin)(x), lin(x)))
conv = torch.nn.Conv1d(2, 3, 3)
print(torch.func.vmap(conv)(torch.randn(4, 1, 2, 6)).shape)
ln = torch.nn.LayerNorm(3)
print(torch.func.vmap(ln)(x).shape)
bn = torch.nn.BatchNorm1d(3)
torch.func.vmap(bn)(torch.randn(4, 2, 3))
# %%
print(bn.num_batches_tracked)
bn.eval()
print(torch.func.vmap(bn)(torch.randn(4, 2, 3)).shape)
bn2 = torch.nn.BatchNorm1d(3, track_running_stats=False)
print(torch.func.vmap(bn2)(torch.randn(4, 2, 3)).shape)
