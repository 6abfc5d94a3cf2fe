import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
h = y.register_hook(lambda g: print("grad of y:", g))
z = y.pow(2).sum()
z.backward()
print(x.grad)
h.remove()
# %%
x.grad = None
y = x * 2
y.register_hook(lambda g: g * 10)
y.sum().backward()
print(x.grad)
# %%
a = torch.tensor([2.0, 3.0], requires_grad=True)
b = a * a
b.retain_grad()
c = b.sum()
c.backward()
print(b.grad, a.grad, b.is_leaf, a.is_leaf, c.grad_fn.next_functions)
# %%
b.grad_fn.next_functions[0][0].variable is a
# %%
print(b.grad_fn.name(), c.grad_fn.name(), type(c.grad_fn), type(b.grad_fn))
print(type(c.grad_fn.next_functions[0][0]), type(torch.nn.functional.mse_loss(b, a).grad_fn))
# %%
lin = torch.nn.Linear(2, 2)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[1., 2.], [3., 4.]]))
    lin.bias.zero_()
outs = []
handle = lin.register_forward_hook(lambda m, i, o: outs.append(o.detach().clone()))
pre = lin.register_forward_pre_hook(lambda m, i: print("pre", i[0].shape))
gh = lin.register_full_backward_hook(lambda m, gi, go: print("bwd", [g.shape if g is not None else None for g in gi], go[0]))
r = lin(torch.tensor([[1., 1.]], requires_grad=True)).sum()
r.backward()
print(outs)
handle.remove(); pre.remove(); gh.remove()
lin(torch.ones(1, 2))
print(len(outs))
# %%
w = torch.tensor([1.0, -1.0], requires_grad=True)
w.register_post_accumulate_grad_hook(lambda p: print("accumulated", p.grad))
(w * 3).sum().backward()
# %%
x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
y.backward(retain_graph=True)
print(x.grad)
y.backward()
print(x.grad)
y.backward()
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
y.sum().backward()
y.sum().backward()
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = x * 2
print(y.requires_grad, y.grad_fn)
y.sum().backward()
# %%
@torch.no_grad()
def doubler(t):
    return t * 2
print(doubler(x).requires_grad)
with torch.enable_grad():
    print((x * 2).requires_grad)
with torch.set_grad_enabled(False):
    print((x * 2).requires_grad, torch.is_grad_enabled())
with torch.inference_mode():
    z = x * 2
print(z.requires_grad)
# %%
x = torch.ones(2, requires_grad=True)
x.add_(1)
# %%
x = torch.ones(2, requires_grad=True)
y = x.sigmoid()
y.mul_(2)
y.sum().backward()
# %%
x = torch.ones(2, requires_grad=True)
y = x * 1
print(y.grad)
