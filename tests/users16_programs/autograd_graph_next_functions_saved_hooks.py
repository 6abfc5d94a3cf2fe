import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
c = (a * b).sum() + a.exp().mean()
print(c.grad_fn)
print(c.grad_fn.name(), [ (type(n).__name__ if n is not None else None, i) for n, i in c.grad_fn.next_functions])
def walk(fn, depth=0):
    if fn is None:
        return
    print("  " * depth + fn.name())
    for nxt, _ in fn.next_functions:
        walk(nxt, depth + 1)
walk(c.grad_fn)
# %%
m = a * b
print(m.grad_fn._saved_self, m.grad_fn._saved_other)
e = a.exp()
print(e.grad_fn._saved_result)
p = a.pow(3)
print(p.grad_fn._saved_exponent, p.grad_fn._saved_self)
s = a.sum()
print(s.grad_fn._saved_self_sym_sizes)
# %%
packed = []
def pack(t):
    packed.append(tuple(t.shape))
    return t * 1
def unpack(t):
    return t
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    out = (a * b).sin().sum()
print(packed)
out.backward()
print(a.grad, b.grad)
# %%
seen = []
h = torch.autograd.graph.register_multi_grad_hook((a, b), lambda grads: seen.append([g is None for g in grads]))
a.grad = b.grad = None
(a * 2).sum().backward()
(a * b).sum().backward()
print(seen)
h.remove()
# %%
leaf_acc = c.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0]
print(type(leaf_acc).__name__, leaf_acc.variable is a)
print(c.grad_fn.metadata, c.requires_grad, c.is_leaf)
r = c.grad_fn.register_hook(lambda gi, go: print("node hook", go))
c.backward(retain_graph=True)
r.remove()
# %%
z = a * b
z.sum().backward()
z.grad_fn._saved_self
# %%
z.sum().backward()
