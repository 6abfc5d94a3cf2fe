import torch

log = []
def pack(t):
    log.append(("pack", tuple(t.shape)))
    return t
def unpack(t):
    log.append(("unpack", tuple(t.shape)))
    return t

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = x.pow(2).sum()
print(log)
y.backward()
print(log, x.grad)
# %%
log.clear()
a = torch.tensor([[1.0, 2.0]], requires_grad=True)
b = torch.tensor([[3.0], [4.0]], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    c = (a * 2) @ b
print(log)
c.backward()
print(a.grad, b.grad)
# %%
with torch.autograd.graph.save_on_cpu():
    z = (x.sin() * x).sum()
z.backward()
print(x.grad)
# %%
def pack_double(t):
    return t.double()
def unpack_back(t):
    return t.float()
x.grad = None
with torch.autograd.graph.saved_tensors_hooks(lambda t: t.clone(), lambda t: t):
    w = x * x
w.sum().backward()
print(x.grad)
