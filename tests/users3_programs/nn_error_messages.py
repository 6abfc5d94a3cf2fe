# ruff: noqa: F821
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(50)

def show(f):
    try:
        r = f()
        print("ok", tuple(r.shape) if hasattr(r, "shape") else r)
    except Exception as e:
        print(type(e).__name__ + ":", e)

lin = nn.Linear(4, 2)
show(lambda: lin(torch.randn(3, 5)))
show(lambda: lin(torch.randn(3, 4, dtype=torch.float64)))
show(lambda: lin(torch.randint(0, 3, (3, 4))))
show(lambda: nn.Conv1d(2, 3, 3)(torch.randn(4, 5, 10)))
show(lambda: nn.Conv2d(1, 2, 3)(torch.randn(1, 1, 2, 2)))
show(lambda: nn.BatchNorm1d(3)(torch.randn(1, 3)))
show(lambda: nn.LayerNorm(5)(torch.randn(2, 4)))
show(lambda: nn.Embedding(5, 2)(torch.tensor([5])))
show(lambda: nn.Embedding(5, 2)(torch.tensor([1.0])))
show(lambda: F.cross_entropy(torch.randn(3, 4), torch.tensor([0, 1])))
show(lambda: F.nll_loss(torch.randn(3, 4), torch.tensor([0, 1, 2]).float()))
show(lambda: F.binary_cross_entropy_with_logits(torch.randn(3), torch.randn(4)))
show(lambda: F.softmax(torch.randn(3), dim=1))
show(lambda: F.one_hot(torch.tensor([0, 3]), num_classes=3))
show(lambda: F.one_hot(torch.tensor([0.0, 1.0])))
show(lambda: nn.Sequential(nn.Linear(2, 3), nn.Linear(4, 1))(torch.randn(1, 2)))
show(lambda: nn.MSELoss()(torch.randn(3, requires_grad=True), torch.randn(3).long()))
show(lambda: F.pad(torch.randn(2, 3), (1, 1, 1)))
show(lambda: nn.MaxPool2d(2)(torch.randn(3, 4)))
show(lambda: F.dropout(torch.randn(3), p=1.5))
show(lambda: nn.Dropout(p=-0.1))
show(lambda: nn.Linear(2, 2).weight.grad.sum())
# %%
m = nn.Linear(2, 2)
show(lambda: m.register_parameter("x y", nn.Parameter(torch.ones(1))))
show(lambda: m.register_parameter("weight2", torch.ones(1)))
show(lambda: setattr(m, "weight", torch.ones(2, 2)))
show(lambda: m.get_submodule("missing"))
show(lambda: m.get_parameter("bias").shape)
show(lambda: nn.ModuleList([1]))
show(lambda: nn.Sequential()[0])
show(lambda: m.load_state_dict({"weight": torch.ones(3, 2), "bias": torch.ones(2)}))
show(lambda: m.to(torch.int64))
show(lambda: nn.Parameter(torch.tensor([1, 2])))
