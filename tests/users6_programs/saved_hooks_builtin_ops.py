import torch
# pack / unpack hooks on what built-in ops save, in torch's order
x = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.ones(2, requires_grad=True) * 2
def pack_hook(t):
    print("Packing", t, t is x, t is b)
    return t
def unpack_hook(t):
    print("Unpacking", t)
    return t
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = x * b
    print("made y")
    z = y.exp()
    w = z.sin() + x.pow(2)
print("backward")
w.sum().backward()
print(x.grad)
# %%
packed = []
def count(t):
    packed.append((t.grad_fn.name() if t.grad_fn is not None else "leaf", tuple(t.shape)))
    return t
torch.manual_seed(0)
M = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
v = torch.randn(3, dtype=torch.float64, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(count, lambda t: t):
    out = (M @ M).tanh().sum() + (M @ v).sigmoid().sum() + (v @ v) + (v / v.sum()).sum() + (2 ** v).sum()
    out = out + v.softmax(0)[0] + v.log_softmax(0)[1] + (v * 3).sum() + (v / 2).sum() + v.max()
print(packed)
out.backward()
print(v.grad)
# %%
log = []
with torch.autograd.graph.saved_tensors_hooks(lambda t: log.append("p") or t, lambda t: log.append("u") or t):
    q = (x.sin() * x.cos()).sum()
q.backward(retain_graph=True)
print(log)
q.backward()
print(log, x.grad)
try:
    q.backward()
except RuntimeError as e:
    print(type(e).__name__, str(e)[:60])
print(log)
