import torch
from torch import nn
import torch.nn.functional as F
# shape mistakes users make while building a CNN / sequence model, and what torch says
cases = {
    "conv2d with a 3-d weight": lambda: F.conv2d(torch.ones(1, 1, 3, 3), torch.ones(1, 3, 3)),
    "conv2d with a 5-d weight": lambda: F.conv2d(torch.ones(1, 1, 3, 3), torch.ones(1, 1, 3, 3, 3)),
    "conv1d with a 4-d weight": lambda: F.conv1d(torch.ones(1, 1, 5), torch.ones(1, 1, 2, 2)),
    "conv1d channels": lambda: F.conv1d(torch.ones(1, 3, 5), torch.ones(2, 2, 3)),
    "conv kernel too big": lambda: F.conv1d(torch.ones(1, 1, 2), torch.ones(1, 1, 3)),
    "max_pool1d padding": lambda: F.max_pool1d(torch.ones(1, 1, 4), 3, padding=2, dilation=2),
    "max_pool2d padding": lambda: F.max_pool2d(torch.ones(1, 1, 4, 4), 2, padding=2),
    "avg_pool too small": lambda: F.avg_pool2d(torch.ones(1, 1, 1, 1), 2),
    "embedding 1-d weight": lambda: F.embedding(torch.tensor([0]), torch.ones(3)),
    "layer_norm shape": lambda: F.layer_norm(torch.ones(2, 3), (4,)),
    "batchnorm channels": lambda: nn.BatchNorm1d(3)(torch.ones(2, 4)),
    "batchnorm2d eval channels": lambda: nn.BatchNorm2d(3).eval()(torch.ones(2, 4, 2, 2)),
    "groupnorm groups": lambda: nn.GroupNorm(3, 4),
    "attention embed dim": lambda: nn.MultiheadAttention(4, 2)(torch.ones(2, 1, 5), torch.ones(2, 1, 5), torch.ones(2, 1, 5)),
    "cross_entropy target": lambda: F.cross_entropy(torch.ones(2, 3), torch.tensor([[0], [1]])),
    "bce shapes": lambda: F.binary_cross_entropy(torch.full((2,), 0.5), torch.ones(3)),
    "one_hot negative": lambda: F.one_hot(torch.tensor([-1]), 3),
    "reflect pad": lambda: F.pad(torch.ones(1, 1, 2), (3, 3), mode="reflect"),
    "interpolate size and scale": lambda: F.interpolate(torch.ones(1, 1, 2), size=4, scale_factor=2),
    "linear features": lambda: nn.Linear(2, 2)(torch.ones(2, 3)),
    "flatten dims": lambda: nn.Flatten(2, 1)(torch.ones(2, 3, 4)),
    "unflatten sizes": lambda: nn.Unflatten(1, (2, 2))(torch.ones(2, 5)),
}
for name, f in cases.items():
    try:
        f()
        print(name, "ok")
    except Exception as e:
        print(f"{name}: {type(e).__name__}: {e}")
# %%
# the fixed model runs
model = nn.Sequential(nn.Conv1d(3, 4, 3, padding=1), nn.BatchNorm1d(4), nn.ReLU(), nn.MaxPool1d(2, padding=1),
                      nn.Flatten(), nn.Linear(4 * 3, 2))
torch.manual_seed(0)
out = model(torch.randn(5, 3, 4))
print(out.shape, out.grad_fn.name())
print(F.embedding(torch.tensor([[0, 2]]), torch.arange(6.0).reshape(3, 2)))
