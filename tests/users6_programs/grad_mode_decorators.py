import torch
@torch.no_grad()
def update(p, g):
    p -= 0.1 * g
    return p.requires_grad, torch.is_grad_enabled()
@torch.enable_grad()
def inner(x):
    return (x * 2).requires_grad
@torch.inference_mode()
def infer(x):
    y = x * 3
    return y.requires_grad, y.is_inference(), torch.is_inference_mode_enabled()
p = torch.tensor([1.0, 2.0], requires_grad=True)
print(update(p, torch.ones(2)), p)
with torch.no_grad():
    print(inner(p))
print(infer(p))
# %%
@torch.no_grad
def bare(x):
    return (x * 2).requires_grad
print(bare(p))
@torch.inference_mode(mode=False)
def not_inf(x):
    return (x * 2).requires_grad, torch.is_inference_mode_enabled()
with torch.inference_mode():
    print(not_inf(p))
# %%
with torch.inference_mode():
    t = torch.ones(2)
try:
    t.requires_grad_()
    (t * p).sum().backward()
except RuntimeError as e:
    print(type(e).__name__, e)
print(t.is_inference(), p.is_inference())
try:
    with torch.inference_mode():
        p.add_(1)
except RuntimeError as e:
    print(type(e).__name__, e)
# %%
class Gen:
    @torch.no_grad()
    def __call__(self, x):
        for i in range(2):
            yield (x * i).requires_grad
print(list(Gen()(p)))
print(torch.set_grad_enabled(False), torch.is_grad_enabled())
torch.set_grad_enabled(True)
print(torch.is_grad_enabled())
