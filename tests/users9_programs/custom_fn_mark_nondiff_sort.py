import torch

class SortWithIndices(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        values, idx = torch.sort(x, descending=True)
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return values, idx

    @staticmethod
    def backward(ctx, g_values, g_idx):
        idx, = ctx.saved_tensors
        print("g_idx:", g_idx)
        grad = torch.zeros_like(g_values)
        grad.scatter_(0, idx, g_values)
        return grad

x = torch.tensor([0.3, -1.2, 2.5, 0.7], requires_grad=True)
vals, idx = SortWithIndices.apply(x)
print(vals, idx)
print(vals.requires_grad, idx.requires_grad, idx.dtype)
weights = torch.tensor([4.0, 3.0, 2.0, 1.0])
(vals * weights).sum().backward()
print(x.grad)
# %%
class Argmax(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        out = x.argmax(dim=-1).float()
        ctx.mark_non_differentiable(out)
        return out

    @staticmethod
    def backward(ctx, g):
        return torch.zeros(3)

z = Argmax.apply(torch.randn(2, 3, requires_grad=True))
print(z.requires_grad, z.grad_fn)
try:
    z.sum().backward()
except RuntimeError as e:
    print(e)
