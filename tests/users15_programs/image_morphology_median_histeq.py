import torch
import torch.nn.functional as F

torch.manual_seed(0)
img = (torch.rand(1, 1, 7, 7) > 0.6).float()
img[0, 0, 3, 3] = 1.0
dil = F.max_pool2d(img, 3, stride=1, padding=1)
ero = -F.max_pool2d(-img, 3, stride=1, padding=1)
print(img[0, 0], dil[0, 0], ero[0, 0], sep="\n")
opening = F.max_pool2d(-F.max_pool2d(-img, 3, 1, 1), 3, 1, 1)
print(opening.sum(), (dil - ero).sum())
# %%
# median filter through unfold, gradients flow to one pixel per window
x = torch.randn(1, 1, 5, 5, requires_grad=True)
patches = F.unfold(x, 3, padding=1)
med = patches.median(dim=1).values.view(1, 1, 5, 5)
print(med.grad_fn.name())
med.sum().backward()
print(x.grad[0, 0])
print(x.grad.sum())
# %%
# soft histogram equalisation by sorting: ranks -> uniform target
torch.manual_seed(2)
im = torch.rand(1, 1, 6, 6) ** 2
im.requires_grad_()
flat = im.view(-1)
vals, order = flat.sort()
target = torch.linspace(0, 1, flat.numel())
loss = (vals - target).pow(2).sum()
loss.backward()
print(round(loss.item(), 5), order[:6], im.grad.view(-1)[:6])
eq = torch.empty_like(flat).scatter_(0, order, target)
print(eq.view(6, 6)[0])
print(torch.histc(im.detach(), bins=5, min=0, max=1), torch.bucketize(im.detach().view(-1)[:5], torch.tensor([0.25, 0.5, 0.75])))
# %%
# smooth (differentiable) dilation with logsumexp over unfold windows
t = torch.tensor(10.0)
xx = torch.randn(1, 1, 4, 4, requires_grad=True)
win = F.unfold(xx, 3, padding=1)
soft = torch.logsumexp(t * win, dim=1) / t
print(soft.view(4, 4).detach())
soft.sum().backward()
print(xx.grad[0, 0])
