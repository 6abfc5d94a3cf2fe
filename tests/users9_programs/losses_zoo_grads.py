import torch
import torch.nn.functional as F

torch.manual_seed(0)
logits = torch.randn(4, 3, requires_grad=True)
target = torch.tensor([0, 2, 1, 2])
for name, loss in [
    ("ce_smooth", F.cross_entropy(logits, target, label_smoothing=0.1)),
    ("ce_weight", F.cross_entropy(logits, target, weight=torch.tensor([1.0, 2.0, 0.5]))),
    ("nll_sum", F.nll_loss(F.log_softmax(logits, 1), target, reduction="sum")),
    ("bce_pos", F.binary_cross_entropy_with_logits(logits, (logits > 0).float(), pos_weight=torch.tensor([2.0, 1.0, 0.5]))),
    ("huber", F.huber_loss(logits, torch.zeros(4, 3), delta=0.5)),
    ("smoothl1", F.smooth_l1_loss(logits, torch.ones(4, 3), beta=2.0)),
    ("kl", F.kl_div(F.log_softmax(logits, 1), F.softmax(torch.ones(4, 3), 1), reduction="batchmean")),
    ("kl_logt", F.kl_div(F.log_softmax(logits, 1), F.log_softmax(torch.ones(4, 3), 1), reduction="batchmean", log_target=True)),
    ("cosine_emb", F.cosine_embedding_loss(logits[:2], logits[2:], torch.tensor([1, -1]))),
    ("triplet", F.triplet_margin_loss(logits[0:1], logits[1:2], logits[2:3], margin=1.0)),
    ("margin_rank", F.margin_ranking_loss(logits[:, 0], logits[:, 1], torch.tensor([1.0, -1.0, 1.0, -1.0]))),
    ("multi_margin", F.multi_margin_loss(logits, target)),
    ("soft_margin", F.soft_margin_loss(logits, torch.sign(logits.detach()))),
    ("poisson", F.poisson_nll_loss(logits, torch.ones(4, 3))),
    ("gauss", F.gaussian_nll_loss(logits, torch.zeros(4, 3), torch.ones(4, 3) * 0.5)),
]:
    g, = torch.autograd.grad(loss, logits)
    print(name, f"{loss.item():.5f}", loss.grad_fn.name())
    numeric(g)
