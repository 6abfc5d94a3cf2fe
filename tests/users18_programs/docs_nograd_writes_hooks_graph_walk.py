import torch

# a running normaliser written in place under no_grad, the way users keep statistics
x = torch.linspace(-1, 1, 5, requires_grad=True)
h = torch.sin(x) * 3
h.retain_grad()
seen = []
handle = h.register_hook(lambda g: seen.append(g.clone()))
with torch.no_grad():
    h.sub_(h.mean())
print(h, h._version, h.grad_fn, h.grad_fn.next_functions)
out = (h ** 2).sum()
out.backward()
print(len(seen), seen[0], h.grad, x.grad, sep="\n")
handle.remove()
# %%
def walk(fn, depth=0):
    print("  " * depth + fn.name())
    for nxt, _ in fn.next_functions:
        if nxt is not None:
            walk(nxt, depth + 1)

w = torch.tensor([0.5, -1.0], requires_grad=True)
a = w.exp()
b = a * w
with torch.no_grad():
    b.clamp_(min=0.0)
c = (b + a).sum()
walk(c.grad_fn)
c.backward()
print(w.grad, b._version, a._version)
# %%
p = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
q = p * p
q.data.mul_(0.5)
r = q.detach()
r.add_(1.0)
print(q, q._version, r._version, q.grad_fn.next_functions)
(q * torch.tensor([1.0, 0.0, 2.0])).sum().backward()
print(p.grad)
s = p.sin()
with torch.no_grad():
    s *= 2
try:
    s.sum().backward()
    print(p.grad)
except RuntimeError as e:
    print(e)
