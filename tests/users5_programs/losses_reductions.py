import torch
import torch.nn.functional as F
torch.manual_seed(1)
logits = torch.randn(4, 3, requires_grad=True)
target = torch.tensor([0, 2, 1, 2])
for red in ("mean", "sum", "none"):
    print(red, F.cross_entropy(logits, target, reduction=red))
w = torch.tensor([1.0, 2.0, 0.5])
loss = F.cross_entropy(logits, target, weight=w, ignore_index=1)
loss.backward()
print(loss, logits.grad)
# %%
p = torch.sigmoid(torch.randn(5, requires_grad=True))
t = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0])
print(F.binary_cross_entropy(p, t), F.binary_cross_entropy_with_logits(torch.logit(p), t, pos_weight=torch.tensor(2.0)))
a = torch.randn(3, 2)
b = torch.randn(3, 2)
print(F.smooth_l1_loss(a, b, beta=0.5), F.huber_loss(a, b, delta=2.0), F.l1_loss(a, b, reduction="sum"))
print(F.kl_div(F.log_softmax(a, 1), F.softmax(b, 1), reduction="batchmean"))
print(F.nll_loss(F.log_softmax(a, 1), torch.tensor([0, 1, 1])), F.cosine_similarity(a, b))
# %%
F.cross_entropy(logits, torch.tensor([0, 3, 1, 2]))
# %%
F.mse_loss(torch.ones(2, 3), torch.ones(3, 2))
