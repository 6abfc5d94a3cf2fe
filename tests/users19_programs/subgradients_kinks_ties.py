import torch
import torch.nn.functional as F

# "what gradient does relu / abs / clamp have at exactly 0?"
x = torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)
for name, fn in [("relu", F.relu), ("abs", torch.abs), ("clamp_min0", lambda t: t.clamp(min=0)),
                 ("leaky", lambda t: F.leaky_relu(t, 0.1)), ("hardtanh", lambda t: F.hardtanh(t, -1.0, 1.0)),
                 ("relu6", F.relu6), ("sign", torch.sign)]:
    x.grad = None
    fn(x).sum().backward()
    print(f"{name:10s}", x.grad)
# %%
# clamp at both boundaries
x = torch.tensor([-2.0, -1.0, 0.0, 1.0, 2.0], requires_grad=True)
x.clamp(-1, 1).sum().backward()
print(x.grad)
x.grad = None
torch.clamp(x, max=torch.tensor(1.0)).sum().backward()
print(x.grad)
# %%
# max / min over all elements with ties spread the gradient evenly
t = torch.tensor([3.0, 1.0, 3.0, 3.0], requires_grad=True)
t.max().backward()
print(t.grad)
t.grad = None
t.amax().backward()
print(t.grad)
t.grad = None
t.max(dim=0).values.backward()
print(t.grad)
# %%
# maximum / minimum of two tensors split ties in half
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = torch.tensor([1.0, 0.0, 4.0], requires_grad=True)
torch.maximum(a, b).sum().backward()
print(a.grad, b.grad)
a.grad = b.grad = None
torch.minimum(a, b).sum().backward()
print(a.grad, b.grad)
# %%
# float64, the norms at ties: L1 / Linf
v = torch.tensor([2.0, -2.0, 1.0], dtype=torch.float64, requires_grad=True)
torch.linalg.vector_norm(v, ord=float("inf")).backward()
print(v.grad)
v.grad = None
v.norm(p=1).backward()
print(v.grad)
v.grad = None
torch.sort(v).values[-1].backward()
print(v.grad)
