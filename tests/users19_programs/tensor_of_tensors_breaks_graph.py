import torch

# "the gradient is None after I build a tensor from a list of outputs"
w = torch.tensor(2.0, requires_grad=True)
outs = [w * i for i in range(1, 4)]
print(outs)
t = torch.tensor([o.item() for o in outs])
print(t.requires_grad, t)
# %%
# torch.tensor on a tensor copies it and detaches it (with a warning)
u = torch.tensor(outs[0])
print(u.requires_grad, u)
# %%
# answer: stack / cat keep the graph
s = torch.stack(outs)
print(s)
(s ** 2).sum().backward()
print(w.grad)
# %%
w.grad = None
rows = [torch.cat([w.reshape(1), (w * w).reshape(1)]) for _ in range(2)]
m = torch.stack(rows)
print(m.grad_fn, m.shape)
m.sum().backward()
print(w.grad)
# %%
# filling a preallocated tensor also keeps the graph (CopySlices)
buf = torch.zeros(3, dtype=torch.float64)
v = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
for i in range(3):
    buf[i] = v ** (i + 1)
print(buf)
buf.sum().backward()
print(v.grad)
