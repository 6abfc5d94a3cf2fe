import torch

class SplitHalves(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        n = x.shape[0] // 2
        return x[:n].clone(), x[n:].clone()

    @staticmethod
    def backward(ctx, g1, g2):
        print("got", None if g1 is None else tuple(g1.shape), None if g2 is None else tuple(g2.shape))
        parts = [g if g is not None else torch.zeros(2) for g in (g1, g2)]
        return torch.cat(parts)

x = torch.arange(4.0, requires_grad=True)
a, b = SplitHalves.apply(x)
(a * 3).sum().backward()
print(x.grad)
# %%
class Materialized(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        print(g1, g2)
        return g1 * 2 + g2 * 3

y = torch.ones(3, requires_grad=True)
p, q = Materialized.apply(y)
q.sum().backward()
print(y.grad)
