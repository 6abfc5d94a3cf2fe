import torch
# saved-tensor hooks on what a custom Function saves: packed at save_for_backward, unpacked at backward
log = []
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x, w)
        return x ** 3 * w
    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        return g * 3 * x ** 2 * w, g * x ** 3
def pack(t):
    log.append(("pack", tuple(t.shape), t.dtype))
    return t.detach().clone()
def unpack(p):
    log.append(("unpack", tuple(p.shape)))
    return p
x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
w = torch.tensor([2.0, 3.0, 4.0], dtype=torch.float64, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack) as h:
    print(h)
    y = Cube.apply(x, w)
print(log)
y.sum().backward()
print(log[-2:])
print(x.grad, w.grad)
# %%
log.clear()
class Twice(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x * 2
        ctx.save_for_backward(y)
        return y
    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y
a = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda t: t * 10, lambda t: t / 10):
    out = Twice.apply(a)
out.sum().backward()
print(a.grad)
# %%
with torch.autograd.graph.saved_tensors_hooks(lambda t: ("boxed", t), lambda p: p[1] + 1):
    out = Twice.apply(a.detach().requires_grad_())
leaf = out.grad_fn
print(type(leaf).__name__)
try:
    out.sum().backward()
    print("done")
except RuntimeError as e:
    print(type(e).__name__, e)
