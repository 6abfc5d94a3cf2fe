import torch
import torch.nn.functional as F

torch.manual_seed(0)
def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="mean"):
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == "mean":
        loss = loss.mean()
    elif reduction == "sum":
        loss = loss.sum()
    return loss

logits = torch.randn(2, 1, 4, 4, requires_grad=True)
mask = (torch.rand(2, 1, 4, 4) > 0.6).float()
fl = sigmoid_focal_loss(logits, mask)
fl.backward()
print(fl, fl.grad_fn)
print(logits.grad[0, 0])
# %%
def dice_loss(logits, target, eps=1.0):
    probs = torch.sigmoid(logits)
    num = 2 * (probs * target).sum(dim=(1, 2, 3)) + eps
    den = probs.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3)) + eps
    return 1 - (num / den).mean()

logits.grad = None
dl = dice_loss(logits, mask)
dl.backward()
print(dl, logits.grad.abs().max())
# %%
pred = (logits.detach() > 0).float()
inter = (pred * mask).sum((1, 2, 3))
union = ((pred + mask) > 0).float().sum((1, 2, 3))
iou = inter / union.clamp(min=1)
print(inter, union, iou, iou.mean())
print(torch.logical_and(pred.bool(), mask.bool()).sum(), torch.logical_or(pred.bool(), mask.bool()).sum(dtype=torch.float32))
# %%
ml = torch.randn(2, 3, 4, 4, requires_grad=True)
tgt = torch.randint(0, 3, (2, 4, 4))
ce = F.cross_entropy(ml, tgt, weight=torch.tensor([0.2, 1.0, 2.0]), ignore_index=2)
ce.backward()
print(ce, ml.grad[0, :, 0, 0])
onehot = F.one_hot(tgt, 3).permute(0, 3, 1, 2).float()
print(onehot.shape, onehot.is_contiguous(), onehot.stride())
soft = F.softmax(ml, 1)
mdice = 1 - (2 * (soft * onehot).sum((0, 2, 3)) / (soft.sum((0, 2, 3)) + onehot.sum((0, 2, 3)))).mean()
print(mdice)
# %%
F.cross_entropy(ml, tgt.float())
# %%
F.binary_cross_entropy_with_logits(logits, mask.long())
