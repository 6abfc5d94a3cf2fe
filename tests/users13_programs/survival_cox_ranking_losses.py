import torch
import torch.nn.functional as F

torch.manual_seed(0)
# Cox proportional hazards partial likelihood with logcumsumexp over risk sets
n = 12
x = torch.randn(n, 3)
time = torch.rand(n) * 10
event = torch.tensor([1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1], dtype=torch.bool)
beta = torch.zeros(3, requires_grad=True)
order = torch.argsort(time, descending=True)
xs, es = x[order], event[order]
opt = torch.optim.LBFGS([beta], lr=0.5, max_iter=50)
def closure():
    opt.zero_grad()
    eta = xs @ beta
    log_risk = torch.logcumsumexp(eta, dim=0)
    loss = -((eta - log_risk)[es]).sum() / es.sum()
    loss.backward()
    return loss
for _ in range(3):
    l = opt.step(closure)
print(f"{l.item():.6f}")
numeric(beta)
print(torch.logcumsumexp(torch.tensor([0.0, 1.0, -2.0]), 0), torch.logcumsumexp(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), 1))
# %%
# ranking losses: margin ranking, pairwise logistic (RankNet), ListNet, and NDCG with sort
scores = torch.randn(6, requires_grad=True)
rel = torch.tensor([3.0, 2.0, 3.0, 0.0, 1.0, 2.0])
i, j = torch.triu_indices(6, 6, 1)
sign = torch.sign(rel[i] - rel[j])
mask = sign != 0
mr = F.margin_ranking_loss(scores[i][mask], scores[j][mask], sign[mask], margin=0.5)
ranknet = F.binary_cross_entropy_with_logits(scores[i][mask] - scores[j][mask], (sign[mask] > 0).float())
listnet = -(F.softmax(rel, 0) * F.log_softmax(scores, 0)).sum()
print(mr, ranknet, listnet)
(mr + ranknet + listnet).backward()
print(scores.grad)
def dcg(r):
    return ((2 ** r - 1) / torch.log2(torch.arange(2, r.numel() + 2, dtype=r.dtype))).sum()
_, idx = scores.detach().sort(descending=True)
ndcg = dcg(rel[idx]) / dcg(rel.sort(descending=True).values)
print(f"{ndcg.item():.6f}", idx)
print(F.margin_ranking_loss(torch.tensor([1.0, 2.0]), torch.tensor([2.0, 1.0]), torch.tensor([1.0, -1.0]), reduction='none'))
print(F.hinge_embedding_loss(torch.tensor([0.3, 2.0]), torch.tensor([1.0, -1.0])), F.soft_margin_loss(torch.tensor([0.3, -2.0]), torch.tensor([1.0, -1.0])))
print(F.multilabel_margin_loss(torch.tensor([[0.1, 0.2, 0.4, 0.8]]), torch.tensor([[3, 0, -1, 1]])))
print(F.multi_margin_loss(torch.tensor([[0.1, 0.2, 0.4, 0.8]]), torch.tensor([3])), F.multilabel_soft_margin_loss(torch.tensor([[0.1, -0.2]]), torch.tensor([[1.0, 0.0]])))
# %%
F.margin_ranking_loss(torch.ones(3), torch.ones(2), torch.ones(3))
