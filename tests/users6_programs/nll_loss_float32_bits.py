import torch
import torch.nn.functional as F
# torch's nll_loss sums its batch through its own cascade: the float32 bits of
# a mean over 64 or 300 rows (with ignored targets and class weights too);
# log-probabilities without float32 exp / log (torch's vectorised ones round differently)
torch.manual_seed(0)
logp = (-3 * torch.rand(64, 4)).requires_grad_()
y = torch.randint(0, 4, (64,))
loss = F.nll_loss(logp, y)
print(loss.item(), F.nll_loss(logp, y, reduction="sum").item())
loss.backward()
print(logp.grad[:2])
# %%
logp = -5 * torch.rand(300, 5)
y = torch.randint(0, 5, (300,))
y[::7] = -100
w = torch.rand(5)
print(F.nll_loss(logp, y).item(), F.nll_loss(logp, y, weight=w).item(), F.nll_loss(logp, y, weight=w, reduction="sum").item())
print(F.nll_loss(logp.double(), y, weight=w.double()).item())
print(F.nll_loss(logp[0], y[1]).item(), F.nll_loss(logp[:1], torch.tensor([-100])).item())
# %%
crit = torch.nn.NLLLoss(ignore_index=2)
logits = torch.randn(37, 3, requires_grad=True)
t = torch.randint(0, 3, (37,))
out = crit(-logits.detach().abs(), t)
print(out.item(), out.dtype)
