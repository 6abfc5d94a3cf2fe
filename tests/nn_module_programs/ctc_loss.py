import numpy as np
import torch
import torch.nn.functional as F
rng = np.random.default_rng(4)
T, N, C = 7, 3, 5
logits = torch.tensor(rng.normal(size=(T, N, C)), requires_grad=True)
lp = logits.log_softmax(2)
targets = torch.tensor([[1, 2, 2], [3, 1, 0], [4, 4, 4]])
il = torch.tensor([7, 5, 6])
tl = torch.tensor([3, 2, 1])
for red in ("none", "sum", "mean"):
    loss = F.ctc_loss(lp, targets, il, tl, reduction=red)
    print(red, loss, loss.grad_fn.name() if red == "none" else "")
loss = F.ctc_loss(lp, targets, il, tl)
loss.backward()
print(logits.grad[:, 1])
# %%
lp2 = torch.tensor(rng.normal(size=(4, 2, 3)), requires_grad=True)
out = F.ctc_loss(lp2, torch.tensor([1, 1, 2, 1, 2]), (4, 2), (2, 3), blank=0, reduction="none", zero_infinity=True)
print(out)
out.sum().backward()
print(lp2.grad)
lp2.grad = None
out = F.ctc_loss(lp2, torch.tensor([1, 1, 2, 1, 2]), [4, 2], [2, 3], reduction="none")
print(out)
out[0].backward()
print(lp2.grad)
# %%
x = torch.tensor(rng.normal(size=(5, 4)), dtype=torch.float32).log_softmax(1).requires_grad_()
l = F.ctc_loss(x, torch.tensor([1, 3]), torch.tensor(5), torch.tensor(2), blank=2)
l.backward()
print(l, x.grad)
ctc = torch.nn.CTCLoss(blank=1, reduction="sum", zero_infinity=True)
print(ctc, ctc(lp, targets, il, tl))
# %%
F.ctc_loss(lp, targets, torch.tensor([8, 5, 6]), tl)
# %%
print(torch.ctc_loss(lp, targets, il, tl, 0, 2), torch.ctc_loss(lp, targets, il, tl, reduction=0, zero_infinity=True))
