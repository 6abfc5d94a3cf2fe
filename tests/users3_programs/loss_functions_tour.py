# ruff: noqa: F821
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(25)

logits = torch.randn(6, 4, requires_grad=True)
target = torch.tensor([0, 3, 1, 1, -100, 2])
w = torch.tensor([1.0, 2.0, 0.5, 1.0])
l1 = F.cross_entropy(logits, target, weight=w, ignore_index=-100)
l2 = F.nll_loss(F.log_softmax(logits, 1), target.clamp(min=0), reduction="sum")
p = torch.rand(6, 4)
l3 = F.binary_cross_entropy_with_logits(logits, p, pos_weight=torch.tensor([1.0, 2.0, 3.0, 4.0]))
l4 = F.kl_div(F.log_softmax(logits, 1), F.softmax(torch.randn(6, 4), 1), reduction="batchmean")
l5 = F.binary_cross_entropy(torch.sigmoid(logits), p, weight=torch.rand(6, 4))
print([f"{l.item():.6f}" for l in (l1, l2, l3, l4, l5)])
(l1 + l2 + l3 + l4 + l5).backward()
numeric([l1, l2, l3, l4, l5, logits.grad])
# %%
a, b = torch.randn(5, 3, requires_grad=True), torch.randn(5, 3)
y = torch.tensor([1, -1, 1, 1, -1])
losses = {
    "cosine_embedding": F.cosine_embedding_loss(a, b, y, margin=0.2),
    "margin_ranking": F.margin_ranking_loss(a[:, 0], b[:, 0], y.float()),
    "triplet": F.triplet_margin_loss(a, b, torch.randn(5, 3)),
    "hinge": F.hinge_embedding_loss(a.norm(dim=1), y),
    "soft_margin": F.soft_margin_loss(a[:, 1], y.float()),
    "poisson_nll": F.poisson_nll_loss(a, b.abs()),
    "gaussian_nll": F.gaussian_nll_loss(a, b, torch.ones(5, 3) * 0.5),
    "multilabel_soft": F.multilabel_soft_margin_loss(a, (b > 0).float()),
    "multi_margin": F.multi_margin_loss(a, torch.tensor([0, 1, 2, 0, 1])),
}
for k, v in losses.items():
    print(k, f"{v.item():.6f}", v.grad_fn.name())
sum(losses.values()).backward()
numeric(list(losses.values()) + [a.grad])
# %%
crit = nn.CrossEntropyLoss(label_smoothing=0.1, reduction="none")
print(crit, crit(torch.randn(3, 5), torch.tensor([1, 0, 4])).shape)
probs_target = torch.softmax(torch.randn(3, 5), 1)
print(f"{F.cross_entropy(torch.randn(3, 5), probs_target).item():.6f}")
try:
    F.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.0]))
except RuntimeError as e:
    print(e)
