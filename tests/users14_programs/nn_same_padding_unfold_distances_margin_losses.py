import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_default_dtype(torch.float64)
torch.manual_seed(16)
x = torch.randn(1, 2, 6, 6, requires_grad=True)
import warnings
c = nn.Conv2d(2, 1, (2, 4), padding="same", dilation=(2, 1))
with warnings.catch_warnings():
    warnings.simplefilter("ignore")     # (torch's once-per-process note on asymmetric 'same' padding)
    y = c(x)
g, gw = torch.autograd.grad(y.pow(2).sum(), [x, c.weight])
print(y.shape, g[0, 0, 0], gw.flatten())
c1 = nn.Conv1d(1, 1, 4, padding="same", padding_mode="reflect")
z = torch.randn(1, 1, 7, requires_grad=True)
print(c1(z).shape, torch.autograd.grad(c1(z).sum(), z)[0])
# %%
u = F.unfold(x, kernel_size=(2, 3), dilation=(1, 2), padding=1, stride=2)
print(u.shape, u.grad_fn.name())
fo = F.fold(u, output_size=(6, 6), kernel_size=(2, 3), dilation=(1, 2), padding=1, stride=2)
gx, = torch.autograd.grad(fo.sum(), x)
print(fo.shape, gx[0, 0])
# %%
a = torch.tensor([[0.0, 0.0], [3.0, 4.0], [1e-10, 0.0]], requires_grad=True)
b = torch.tensor([[1.0, 0.0], [3.0, 5.0], [0.0, 1.0]], requires_grad=True)
for fn in [lambda: F.normalize(a, dim=1), lambda: F.cosine_similarity(a, b), lambda: F.pairwise_distance(a, b),
           lambda: torch.cdist(a, b), lambda: torch.cdist(a, b, p=1), lambda: torch.cdist(a, b, p=float("inf")),
           lambda: torch.cdist(a, a), lambda: torch.cdist(a, b, p=0), lambda: torch.cdist(a, b, p=3),
           lambda: torch.linalg.vector_norm(a, dim=1), lambda: a.norm(dim=1, p=1), lambda: torch.dist(a, b)]:
    out = fn()
    ga, gb = torch.autograd.grad(out.sum(), [a, b], allow_unused=True)
    print(out.grad_fn.name(), out.detach().flatten(), ga.flatten(), None if gb is None else gb.flatten())
# %%
anchor, pos, neg = torch.randn(3, 4, 5).unbind(0)
anchor.requires_grad_()
for swap in [False, True]:
    l = F.triplet_margin_loss(anchor, pos, neg, margin=1.0, p=2, swap=swap)
    print(l, torch.autograd.grad(l, anchor)[0][0])
print(F.cosine_embedding_loss(anchor, pos, torch.tensor([1, -1, 1, -1])), F.margin_ranking_loss(anchor[:, 0], pos[:, 0], torch.tensor([1, -1, 1, 1.0])))
print(F.hinge_embedding_loss(anchor, torch.ones(4, 5)), F.multi_margin_loss(anchor, torch.tensor([0, 1, 2, 4])), F.multilabel_margin_loss(anchor, torch.tensor([[0, 1, -1, 0, 0]] * 4)))
print(F.soft_margin_loss(anchor, torch.ones(4, 5)), F.multilabel_soft_margin_loss(anchor, (pos > 0).double()), F.poisson_nll_loss(anchor, pos.abs()), F.gaussian_nll_loss(anchor, pos, torch.ones(4, 5)))
