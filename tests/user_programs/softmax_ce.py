import torch
import torch.nn as nn
import torch.nn.functional as F
logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]], requires_grad=True)
target = torch.tensor([0, 1])
loss = F.cross_entropy(logits, target)
loss.backward()
print(loss, logits.grad)
print(F.softmax(logits, dim=1))
print(F.log_softmax(logits, -1).exp().sum(1))
crit = nn.CrossEntropyLoss(reduction='sum', label_smoothing=0.1)
print(crit(logits, target))
nll = nn.NLLLoss()
print(nll(F.log_softmax(logits, 1), target))
print(torch.argmax(logits, dim=1), logits.max(dim=1))
print(F.kl_div(F.log_softmax(logits, 1), F.softmax(logits.detach() * 2, 1), reduction='batchmean'))
