import torch
import torch.nn as nn
from torch.autograd import Function

class GradientReversalFunction(Function):
    @staticmethod
    def forward(ctx, x, alpha):
        ctx.alpha = alpha
        return x.view_as(x)
    @staticmethod
    def backward(ctx, grad_output):
        output = grad_output.neg() * ctx.alpha
        return output, None

def grad_reverse(x, alpha=1.0):
    return GradientReversalFunction.apply(x, alpha)

x = torch.randn(3, 2, requires_grad=True, generator=torch.Generator().manual_seed(0))
y = grad_reverse(x, 0.5)
print(y.grad_fn, y.grad_fn.next_functions, y._base is x, y.requires_grad)
(y * 2).sum().backward()
print(x.grad)
# %%
torch.manual_seed(0)
feat = nn.Sequential(nn.Linear(5, 8), nn.ReLU())
label_clf = nn.Linear(8, 3)
domain_clf = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 1))
params = list(feat.parameters()) + list(label_clf.parameters()) + list(domain_clf.parameters())
opt = torch.optim.SGD(params, lr=0.05, momentum=0.9)
xs, ys = torch.randn(8, 5), torch.randint(0, 3, (8,))
xt = torch.randn(8, 5) + 1.0
for p_step in range(12):
    p = p_step / 12
    alpha = 2. / (1. + torch.exp(torch.tensor(-10 * p))) - 1
    opt.zero_grad()
    fs, ft = feat(xs), feat(xt)
    cls_loss = nn.functional.cross_entropy(label_clf(fs), ys)
    dom_logits = domain_clf(grad_reverse(torch.cat([fs, ft]), alpha.item()))
    dom_y = torch.cat([torch.zeros(8, 1), torch.ones(8, 1)])
    dom_loss = nn.functional.binary_cross_entropy_with_logits(dom_logits, dom_y)
    (cls_loss + dom_loss).backward()
    opt.step()
    if p_step % 4 == 0:
        print(p_step, f"{alpha.item():.4f}", f"{cls_loss.item():.4f}", f"{dom_loss.item():.4f}")
# %%
fs = feat(xs)
g_plain = torch.autograd.grad(domain_clf(fs).sum(), fs, retain_graph=True)[0]
g_rev = torch.autograd.grad(domain_clf(grad_reverse(fs, 0.3)).sum(), fs)[0]
print(torch.allclose(g_rev, -0.3 * g_plain), g_rev.shape)
# %%
class ScaleGrad(Function):
    @staticmethod
    def forward(ctx, x, scale):
        ctx.save_for_backward(scale)
        return x.clone()
    @staticmethod
    def backward(ctx, g):
        (scale,) = ctx.saved_tensors
        return g * scale, (g * 0).sum().reshape(scale.shape) if ctx.needs_input_grad[1] else None

s = torch.tensor([2.0], requires_grad=True)
z = ScaleGrad.apply(x, s)
z.sum().backward()
print(x.grad, s.grad, ctx_needs := ScaleGrad.apply(x.detach(), s).requires_grad)
# %%
class BadReverse(Function):
    @staticmethod
    def forward(ctx, x, alpha):
        return x * 1
    @staticmethod
    def backward(ctx, g):
        return -g
BadReverse.apply(x, 1.0).sum().backward()
