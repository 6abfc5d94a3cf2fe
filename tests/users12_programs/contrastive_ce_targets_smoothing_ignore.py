import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)

logits = torch.randn(5, 4, requires_grad=True)
tgt = torch.tensor([0, 3, -100, 1, 2])
for ls in [0.0, 0.1, 0.5]:
    for red in ['mean', 'sum', 'none']:
        l = F.cross_entropy(logits, tgt, label_smoothing=ls, reduction=red)
        print(ls, red, l)
w = torch.tensor([0.5, 1.0, 2.0, 1.0])
l = F.cross_entropy(logits, tgt, weight=w, label_smoothing=0.2, ignore_index=-100)
print(l)
l.backward()
print(logits.grad)
crit = nn.CrossEntropyLoss(label_smoothing=0.1, ignore_index=3)
print(crit)
print(crit(logits, tgt.clamp(min=0)))
# %%
seq_logits = torch.randn(2, 4, 3, requires_grad=True)  # N, C, T
seq_tgt = torch.tensor([[0, 1, 3], [2, 2, -100]])
l = F.cross_entropy(seq_logits, seq_tgt, label_smoothing=0.1)
print(l)
l.backward()
numeric(seq_logits.grad)
probs_t = F.softmax(torch.randn(2, 4, 3), dim=1)
print(F.cross_entropy(seq_logits, probs_t, label_smoothing=0.3))
print(F.nll_loss(F.log_softmax(seq_logits, 1), seq_tgt, reduction='none'))
# %%
F.cross_entropy(logits, torch.tensor([0, 1, 2, 3, 4]))
# %%
F.cross_entropy(logits, torch.tensor([0.0, 1.0, 2.0, 3.0, 1.0]))
# %%
F.cross_entropy(logits, torch.ones(5, 3))
# %%
F.cross_entropy(logits, tgt, label_smoothing=-0.1)
