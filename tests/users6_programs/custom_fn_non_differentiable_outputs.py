import torch
class SortWithIdx(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        vals, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return vals, idx
    @staticmethod
    def backward(ctx, gv, gi):
        idx, = ctx.saved_tensors
        out = torch.zeros_like(gv)
        out[idx] = gv
        print("gi is", gi)
        return out
x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
v, i = SortWithIdx.apply(x)
print(v, i, v.requires_grad, i.requires_grad, i.grad_fn)
(v * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print(x.grad)
# %%
class Halve(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x / 2, x * 0 + 1
    @staticmethod
    def backward(ctx, g1, g2):
        print(g1 is None, g2 is None)
        return None if g1 is None else g1 / 2
a = torch.tensor([4.0], requires_grad=True)
h, one = Halve.apply(a)
h.sum().backward()
print(a.grad)
