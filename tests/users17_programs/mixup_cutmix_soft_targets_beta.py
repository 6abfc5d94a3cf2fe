import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
def mixup_data(x, y, alpha=1.0):
    lam = torch.distributions.Beta(alpha, alpha).sample().item() if alpha > 0 else 1.0
    index = torch.randperm(x.size(0))
    mixed_x = lam * x + (1 - lam) * x[index, :]
    return mixed_x, y, y[index], lam

def mixup_criterion(criterion, pred, y_a, y_b, lam):
    return lam * criterion(pred, y_a) + (1 - lam) * criterion(pred, y_b)

x = torch.randn(6, 4)
y = torch.tensor([0, 1, 2, 0, 1, 2])
mx, ya, yb, lam = mixup_data(x, y, 0.4)
print(round(lam, 6), yb, mx.shape)
net = nn.Linear(4, 3)
loss = mixup_criterion(nn.CrossEntropyLoss(), net(mx), ya, yb, lam)
print(loss, loss.grad_fn)
loss.backward()
print(net.weight.grad)
# %%
soft = lam * F.one_hot(ya, 3).float() + (1 - lam) * F.one_hot(yb, 3).float()
loss2 = F.cross_entropy(net(mx), soft)
print(torch.allclose(loss, loss2), soft.sum(1))
print(F.cross_entropy(net(mx), soft, label_smoothing=0.1), F.cross_entropy(net(mx), ya, label_smoothing=0.1))
# %%
def rand_bbox(H, W, lam):
    cut_rat = (1. - lam) ** 0.5
    cut_w, cut_h = int(W * cut_rat), int(H * cut_rat)
    cx, cy = torch.randint(W, (1,)).item(), torch.randint(H, (1,)).item()
    bbx1, bby1 = max(cx - cut_w // 2, 0), max(cy - cut_h // 2, 0)
    bbx2, bby2 = min(cx + cut_w // 2, W), min(cy + cut_h // 2, H)
    return bbx1, bby1, bbx2, bby2

imgs = torch.arange(2 * 1 * 6 * 6, dtype=torch.float32).view(2, 1, 6, 6)
lam = 0.6
x1, y1, x2, y2 = rand_bbox(6, 6, lam)
imgs2 = imgs.clone()
imgs2[:, :, y1:y2, x1:x2] = imgs.flip(0)[:, :, y1:y2, x1:x2]
lam_adj = 1 - ((x2 - x1) * (y2 - y1) / (6 * 6))
print((x1, y1, x2, y2), lam_adj, imgs2[0, 0])
# %%
b = torch.distributions.Beta(torch.tensor([0.4]), torch.tensor([0.4]))
s = b.sample((3,))
print(s.shape, b.mean, b.variance, b.log_prob(torch.tensor([0.5])))
print(torch.distributions.Beta(2.0, 3.0).rsample().requires_grad, torch.distributions.Beta(2.0, 3.0))
# %%
F.cross_entropy(net(mx), soft[:, :2])
