import torch
import torch.nn.functional as F

pred = torch.randn(4, requires_grad=True)
target = torch.tensor([1, 0, 1, 1])
F.binary_cross_entropy_with_logits(pred, target)
# %%
F.l1_loss(pred, target)
# %%
loss = F.mse_loss(pred, target.float())
print(loss.grad_fn.name())
F.nll_loss(torch.log_softmax(torch.randn(4, 3), 1), torch.tensor([0, 1, 2, 1], dtype=torch.int32))
# %%
F.nll_loss(torch.log_softmax(torch.randn(4, 3), 1), torch.tensor([[0], [1], [2], [1]]))
# %%
torch.arange(4).float().requires_grad_().long().requires_grad_()
# %%
i = torch.arange(4)
i.requires_grad_()
# %%
t = torch.ones(3, dtype=torch.float64, requires_grad=True)
w = torch.ones(3, requires_grad=True)
out = t * w
print(out.dtype)
out.sum().backward()
print(t.grad.dtype, w.grad.dtype)
torch.mm(t.view(1, 3), w.view(3, 1))
# %%
a = torch.ones(3, requires_grad=True)
a.grad = torch.ones(3, dtype=torch.float64)
# %%
a.grad = torch.ones(4)
# %%
F.softmax(torch.tensor([1, 2, 3]), dim=0)
# %%
print(F.softmax(torch.tensor([1, 2, 3]), dim=0, dtype=torch.float64))
torch.tensor([1, 2, 3]).mean()
