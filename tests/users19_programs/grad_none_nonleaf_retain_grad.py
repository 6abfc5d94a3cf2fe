import torch

# "Why is my .grad None?" -- the asker reads .grad of an intermediate
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
z = (y ** 2).sum()
z.backward()
print(x.grad)
print(y.grad)
print(y.is_leaf, x.is_leaf, y.requires_grad)
# %%
# answer: call retain_grad() before backward
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
y.retain_grad()
z = (y ** 2).sum()
z.backward()
print(y.grad, y.retains_grad, x.retains_grad)
print(x.grad)
# %%
# retain_grad on a leaf is a no-op, on a tensor without grad it raises
x.retain_grad()
print(x.retains_grad)
c = torch.ones(2)
try:
    c.retain_grad()
except RuntimeError as e:
    print(e)
# %%
# the grad of the intermediate is also accumulated over two backward calls
w = torch.tensor([0.5, -1.5], dtype=torch.float64, requires_grad=True)
h = w.exp()
h.retain_grad()
out = h.sum()
out.backward(retain_graph=True)
out.backward()
print(h.grad)
print(w.grad)
