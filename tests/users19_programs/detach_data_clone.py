import torch

# detach() vs .data vs clone()
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = a.sigmoid()
d = out.detach()
c = out.clone()
print(d.requires_grad, c.requires_grad, c.grad_fn, d.grad_fn)
print(d.data_ptr() == out.data_ptr(), c.data_ptr() == out.data_ptr())
# %%
# changing a detach()ed tensor in place is caught by the version counter
d.zero_()
print(out)
try:
    out.sum().backward()
except RuntimeError as e:
    print(e)
# %%
# changing .data in place is NOT caught: the gradient silently uses the new values
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = (a * a).sum()
a.data.zero_()
out.backward()
print(out, a.grad, a._version)
# %%
# clone() keeps the graph, clone().detach() is the recommended copy
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a.clone()
(b * b).sum().backward()
print(b.grad_fn, a.grad)
e = a.clone().detach()
e += 1
print(e, a)
# %%
# detach().requires_grad_() builds a new leaf
f = (a * 2).detach().requires_grad_(True)
(f ** 3).sum().backward()
print(f.is_leaf, f.grad)
print(a.detach().is_leaf, a.data.is_leaf, a.data.requires_grad)
