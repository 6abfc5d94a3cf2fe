import torch

# no_grad vs requires_grad_(False) vs detach
w = torch.tensor([1.0, -2.0], requires_grad=True)
with torch.no_grad():
    y = w * 2
print(y.requires_grad, y.grad_fn, torch.is_grad_enabled())
z = w * 2
print(z.requires_grad, z.grad_fn, torch.is_grad_enabled())
# %%
# requires_grad_(False) changes the leaf itself; later ops do not track it
w.requires_grad_(False)
y = w * 2
print(y.requires_grad, w.grad)
w.requires_grad_(True)
print((w * 2).requires_grad)
# %%
# no_grad as a decorator, and enable_grad inside it
@torch.no_grad()
def evaluate(v):
    inner = v * 3
    with torch.enable_grad():
        tracked = v * 3
    return inner.requires_grad, tracked.requires_grad

print(evaluate(w))
# %%
# set_grad_enabled with a flag, as in train/eval loops
for is_train in (True, False):
    with torch.set_grad_enabled(is_train):
        out = (w ** 2).sum()
    print(is_train, out.requires_grad, out)
# %%
# tensors created under no_grad with requires_grad=True are still leaves that require grad
with torch.no_grad():
    leaf = torch.ones(2, requires_grad=True)
    made = leaf + 1
print(leaf.requires_grad, made.requires_grad)
(leaf * 4).sum().backward()
print(leaf.grad)
