import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.inference_mode():
    y = x * 2
print(y.requires_grad, torch.is_inference_mode_enabled(), y.is_inference())
try:
    (y * x).sum().backward()
except RuntimeError as e:
    print(e)
# %%
with torch.no_grad():
    with torch.enable_grad():
        y = x * 2
    z = x * 2
print(y.requires_grad, z.requires_grad, torch.is_grad_enabled())
torch.set_grad_enabled(False)
print((x * 2).requires_grad)
torch.set_grad_enabled(True)
@torch.no_grad()
def evaluate(t):
    return t * 3
print(evaluate(x).requires_grad)
@torch.inference_mode()
def infer(t):
    return t + 1
print(infer(x), infer(x).requires_grad)
# %%
def f(x):
    return (x ** 3).sum()
x = torch.randn(3, dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(f, (x,), eps=1e-6, atol=1e-4), torch.autograd.gradgradcheck(f, (x,)))
class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x ** 2
    @staticmethod
    def backward(ctx, g):
        return g * 3
try:
    torch.autograd.gradcheck(Bad.apply, (x,))
except Exception as e:
    print(type(e).__name__, str(e)[:400])
print(torch.autograd.gradcheck(Bad.apply, (x,), raise_exception=False))
