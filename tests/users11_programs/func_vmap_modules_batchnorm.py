import torch
import torch.nn as nn
from torch.func import vmap, jacfwd, hessian, functional_call, stack_module_state
torch.manual_seed(0)
print(hessian(lambda v: v.sin() * v.sum())(torch.randn(3)).shape)
print(jacfwd(lambda v: v * torch.rand(3), randomness="same")(torch.randn(3)).shape)
# %%
jacfwd(lambda v: v * torch.rand(3))(torch.randn(3))
# %%
m = nn.Linear(3, 2)
print(vmap(m)(torch.randn(4, 3)).shape)
print(vmap(m, in_dims=1, out_dims=1)(torch.randn(3, 4)).shape)
# %%
functional_call(m, {"weight": torch.zeros(2, 3), "extra": torch.ones(1)}, torch.ones(1, 3), strict=True)
# %%
print(functional_call(m, {"weight": torch.zeros(2, 3), "extra": torch.ones(1)}, torch.ones(1, 3)))
# %%
bns = [nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3)) for _ in range(2)]
params, buffers = stack_module_state(bns)
print(sorted(buffers), buffers["1.running_mean"].shape, buffers["1.num_batches_tracked"])
base = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3))
base.eval()
out = vmap(lambda p, b, x: functional_call(base, (p, b), (x,)), in_dims=(0, 0, None))(params, buffers, torch.randn(4, 3))
print(out.shape)
numeric(out)
# %%
from torch.func import replace_all_batch_norm_modules_
net = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3)).double()   # (a batch of 3: float32 rounding shows)
replace_all_batch_norm_modules_(net)
print(net[1].running_mean, net[1].track_running_stats)
p = {k: v.detach() for k, v in net.named_parameters()}
g = vmap(torch.func.grad(lambda p, x: functional_call(net, p, (x.unsqueeze(0) * torch.tensor([[1.0], [2.0], [-0.5]], dtype=torch.double),)).pow(3).sum()), in_dims=(None, 0))(p, torch.randn(4, 3, dtype=torch.double))
print({k: tuple(v.shape) for k, v in g.items()})
numeric(g["1.weight"])
numeric(g["1.bias"])
