# ruff: noqa: F821
import torch
import torch.nn.functional as F

x = torch.tensor([-1000.0, -20.0, 0.0, 20.0, 1000.0], requires_grad=True)
outs = {
    "log_softmax": F.log_softmax(x, 0), "softmax": F.softmax(x, 0), "logsigmoid": F.logsigmoid(x),
    "softplus": F.softplus(x), "softplus_beta": F.softplus(x, beta=2.0, threshold=5.0), "sigmoid": torch.sigmoid(x),
    "tanh": torch.tanh(x), "exp_clamped": torch.exp(x.clamp(max=80)), "logaddexp": torch.logaddexp(x, torch.zeros(5)),
    "bce_logits": F.binary_cross_entropy_with_logits(x, torch.tensor([0.0, 1.0, 0.5, 0.0, 1.0]), reduction="none"),
    "log1p_exp": torch.log1p(torch.exp(-x.abs())) + x.clamp(min=0), "silu": F.silu(x), "gelu": F.gelu(x),
    "elu": F.elu(x), "selu": F.selu(x), "celu": F.celu(x, alpha=2.0), "mish": F.mish(x), "hardswish": F.hardswish(x),
}
for k, v in outs.items():
    (g,) = torch.autograd.grad(v.sum(), x)
    print(f"{k:12s} {v.grad_fn.name():28s} finite={bool(torch.isfinite(g).all())}")
    numeric([v, g])
# %%
big = torch.tensor([1e38, 3e38], dtype=torch.float32)
print(big * 10, (big * 10).isinf(), torch.nan_to_num(big * 10), torch.nan_to_num(torch.tensor([float("nan"), -float("inf")]), nan=0.0, neginf=-1.0))
print(torch.tensor([1e-45, 1e-40]), torch.tensor(1e-46), torch.finfo(torch.float32).tiny)
v = torch.tensor([1.0, 2.0, float("nan")])
print(v.sum(), v.nansum(), v.nanmean(), v.max(), torch.isnan(v).any(), v.nan_to_num().mean())
print(torch.tensor(0.0) / torch.tensor(0.0), torch.log(torch.tensor(0.0)), torch.sqrt(torch.tensor(-1.0)).isnan())
