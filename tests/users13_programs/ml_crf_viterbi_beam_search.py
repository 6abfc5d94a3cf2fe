import torch

torch.manual_seed(0)
T, K = 5, 3
emissions = torch.randn(T, K, requires_grad=True)
trans = torch.randn(K, K, requires_grad=True)
tags = torch.tensor([0, 2, 1, 1, 0])

def log_partition(em, tr):
    alpha = em[0]
    for t in range(1, em.size(0)):
        alpha = torch.logsumexp(alpha.unsqueeze(1) + tr + em[t].unsqueeze(0), dim=0)
    return torch.logsumexp(alpha, dim=0)

def score(em, tr, y):
    s = em[torch.arange(len(y)), y].sum()
    return s + tr[y[:-1], y[1:]].sum()

nll = log_partition(emissions, trans) - score(emissions, trans, tags)
nll.backward()
print(nll)
print(emissions.grad)
print(trans.grad)
# marginals from the gradient of log Z equal forward-backward marginals: rows sum to one
em2 = emissions.detach().requires_grad_()
logZ = log_partition(em2, trans.detach())
marg, = torch.autograd.grad(logZ, em2)
print(marg.sum(1))
# %%
def viterbi(em, tr):
    score = em[0]
    back = []
    for t in range(1, em.size(0)):
        total = score.unsqueeze(1) + tr
        best, idx = total.max(dim=0)
        score = best + em[t]
        back.append(idx)
    best_last = score.argmax()
    path = [best_last.item()]
    for idx in reversed(back):
        path.append(idx[path[-1]].item())
    return list(reversed(path)), score.max()

with torch.no_grad():
    path, best = viterbi(emissions, trans)
print(path, best)
# brute force check
import itertools
scores = {p: score(emissions.detach(), trans.detach(), torch.tensor(p)).item() for p in itertools.product(range(K), repeat=T)}
print(max(scores, key=scores.get) == tuple(path))
# %%
# beam search over a toy language model with topk
torch.manual_seed(2)
V = 6
logits_table = torch.randn(V, V)
def step_logprobs(prev):
    return torch.log_softmax(logits_table[prev], dim=-1)

beam = [([0], 0.0)]
for _ in range(4):
    cands = []
    for seq, sc in beam:
        lp = step_logprobs(torch.tensor(seq[-1]))
        top_lp, top_ix = lp.topk(3)
        for l, i in zip(top_lp.tolist(), top_ix.tolist()):
            cands.append((seq + [i], sc + l))
    beam = sorted(cands, key=lambda c: c[1], reverse=True)[:3]
for seq, sc in beam:
    print(seq, f"{sc:.4f}")
# vectorised beam step with flattened topk
scores = torch.tensor([-0.5, -1.0, -1.2])
lp = torch.log_softmax(torch.randn(3, V), dim=-1)
flat = (scores.unsqueeze(1) + lp).view(-1)
top, ix = flat.topk(3)
print(top, ix // V, ix % V, torch.div(ix, V, rounding_mode='floor'))
