import torch
# what binary ops save, as the pack hook sees it (the user's own tensors, in torch's order)
x = torch.tensor([1.5, -2.5], requires_grad=True)
y = torch.tensor([0.5, 3.0], requires_grad=True)
c = torch.tensor([0.25, 0.75])
def pack(t):
    seen.append("x" if t is x else "y" if t is y else "c" if t is c else "result:" + t.grad_fn.name())
    return t
for name, fn in [("atan2", torch.atan2), ("maximum", torch.maximum), ("minimum", torch.minimum), ("hypot", torch.hypot),
                 ("copysign", torch.copysign), ("xlogy", torch.xlogy), ("fmod", torch.fmod), ("remainder", torch.remainder),
                 ("mul", torch.mul), ("div", torch.div)]:
    for args in ((x, y), (x, c), (c, y)):
        seen = []
        with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            out = fn(*args)
        print(name, out.grad_fn.name(), seen)
# %%
unpacked = []
with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: unpacked.append(tuple(t.shape)) or t):
    loss = (torch.atan2(x, y) * torch.hypot(x, c)).sum()
loss.backward()
print(unpacked, x.grad, y.grad)
