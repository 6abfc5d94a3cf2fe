import torch
from torch.autograd.graph import get_gradient_edge

x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
a = x * 2
b = a.exp()
c = (b * a).sum()
print(isinstance(c.grad_fn, torch.autograd.graph.Node), c.grad_fn.name())
edge = get_gradient_edge(a)
print(type(edge).__name__, edge.node.name(), edge.output_nr)
(ga,) = torch.autograd.grad(c, edge, retain_graph=True)
print(ga)
# %%
seen = []
h1 = c.grad_fn.register_prehook(lambda grad_outputs: seen.append(("pre", grad_outputs[0].shape)))
h2 = b.grad_fn.register_hook(lambda grad_inputs, grad_outputs: seen.append(("post", len(grad_inputs), len(grad_outputs))))
c.backward(retain_graph=True)
print(seen, x.grad)
h1.remove(); h2.remove()
# %%
def scale_prehook(grad_outputs):
    return (grad_outputs[0] * 10,)
h = b.grad_fn.register_prehook(scale_prehook)
x.grad = None
c.backward(retain_graph=True)
print(x.grad)
h.remove()
# %%
v = torch.ones(3)
print(v._version)
v.add_(1)
v[0] = 5
print(v._version, v)
w = torch.ones(3, requires_grad=True)
y = w * v
v.mul_(2)
print(v._version)
try:
    (w * 2).sin().sum().backward()
    print(w.grad)
    y2 = w.exp()
    y2.mul_(2) if False else None
    z = w.sigmoid()
    z.add_(1)
    z.sum().backward()
except RuntimeError as e:
    print(str(e)[:120])
# %%
print(c.grad_fn.next_functions[0][0].metadata, type(c.grad_fn.metadata))
c.grad_fn.metadata["step"] = 3
print(c.grad_fn.metadata)
print(x.grad_fn, a.grad_fn.next_functions[0][0].variable is x)
# %%
t = torch.ones(2, requires_grad=True)
u = t.sigmoid()
u.add_(1)
u.sum().backward()
