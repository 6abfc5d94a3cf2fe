import torch
class SortFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        vals, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        scaled = vals * 2
        ctx.mark_non_differentiable(scaled) if False else None
        return vals, idx, scaled

    @staticmethod
    def backward(ctx, gv, gi, gs):
        print("gi", gi, "gs", gs)
        idx, = ctx.saved_tensors
        g = torch.zeros_like(gv)
        g[idx] = gv + 2 * gs
        return g


x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
v, i, s = SortFn.apply(x)
print(i.requires_grad, s.requires_grad, v.grad_fn is s.grad_fn)
(v.sum() + (i.float() * 0).sum()).backward()
print(x.grad)
# %%
class NonDiffFloat(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        a, b = x * 2, x * 3
        ctx.mark_non_differentiable(b)
        return a, b

    @staticmethod
    def backward(ctx, ga, gb):
        print("gb", gb)
        return ga * 2


x = torch.ones(2, requires_grad=True)
a, b = NonDiffFloat.apply(x)
print(b.requires_grad, b.grad_fn, b.is_leaf)
(a + b).sum().backward()
print(x.grad)
# %%
b.sum().backward()
# %%
class VarArgs(torch.autograd.Function):
    @staticmethod
    def forward(ctx, *xs):
        ctx.n = len(xs)
        return sum(xs)

    @staticmethod
    def backward(ctx, g):
        return (g,) * ctx.n


ts = [torch.ones(2, requires_grad=True) for _ in range(3)]
VarArgs.apply(*ts).sum().backward()
print([t.grad for t in ts])
# %%
class CtxAttrs(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, flag=True):
        ctx.flag = flag
        return x.clone()

    @staticmethod
    def backward(ctx, g):
        return g if ctx.flag else -g, None


x = torch.ones(2, requires_grad=True)
CtxAttrs.apply(x, False).sum().backward()
print(x.grad)
y = CtxAttrs.apply(x)
print(type(y.grad_fn).__name__, y.grad_fn.name(), [type(n[0]).__name__ if n[0] is not None else None for n in y.grad_fn.next_functions])
