import torch
from torch import nn
from torch.func import functional_call, grad, vmap, jacrev, jvp
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 1))
x = torch.randn(6, 3)
y = torch.randn(6, 1)
params = {k: v.detach() for k, v in model.named_parameters()}
buffers = {k: v.detach() for k, v in model.named_buffers()}
print(list(buffers.keys()))

def loss_fn(p, b, xb, yb):
    return nn.functional.mse_loss(functional_call(model, (p, b), (xb,)), yb)

try:
    grad(loss_fn)(params, buffers, x, y)
except RuntimeError as e:
    print("train mode:", e)
print(model[1].num_batches_tracked)
# %%
try:
    jvp(lambda inp: model(inp), (x,), (torch.ones_like(x),))
except RuntimeError as e:
    print(str(e)[:60])
try:
    jacrev(lambda inp: model(inp).sum())(x)
except RuntimeError as e:
    print(str(e)[:60])
try:
    vmap(grad(loss_fn), in_dims=(None, None, 0, 0))(params, buffers, x[:, None], y[:, None])
except RuntimeError as e:
    print(str(e)[:60])
# %%
# the usual fixes: eval mode (running stats) or no running stats
model.eval()
g = grad(loss_fn)(params, buffers, x, y)
print({k: tuple(v.shape) for k, v in g.items()})
per = vmap(grad(loss_fn), in_dims=(None, None, 0, 0))(params, buffers, x[:, None], y[:, None])
print({k: tuple(v.shape) for k, v in per.items()})
print(torch.allclose(per["3.bias"].mean(0), g["3.bias"], atol=1e-6))
model.train()
model[1] = nn.BatchNorm1d(8, track_running_stats=False)
g2 = grad(lambda p: nn.functional.mse_loss(functional_call(model, p, (x,)), y))(dict(model.named_parameters()))
print(sorted(g2.keys()))
print(g2["1.weight"].shape, model[1].running_mean)
