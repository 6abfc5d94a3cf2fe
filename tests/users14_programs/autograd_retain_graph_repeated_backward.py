import torch

torch.manual_seed(16)
w = torch.randn(3, requires_grad=True)
x = torch.randn(5, 3)
h = torch.tanh(x @ w)
loss1 = h.pow(2).mean()
loss2 = (h - 1).abs().sum()
loss1.backward(retain_graph=True)
g1 = w.grad.clone()
loss2.backward(retain_graph=True)
print(g1, w.grad)
w.grad = None
(loss1 + loss2).backward()
print(w.grad)
# %%
try:
    loss1.backward()
except RuntimeError as e:
    print("RuntimeError:", str(e)[:90])
# %%
# accumulate over several backward calls with retain_graph, then zero
w.grad.zero_()
y = (w.exp() * torch.arange(3.0)).sum()
for k in range(3):
    y.backward(retain_graph=True)
    print(k, w.grad)
y.backward()
print(w.grad)
# %%
# per-output gradients by backward with gradient= one-hot, retained graph
out = torch.stack([w.sin().sum(), (w ** 2).sum(), w.prod()])
rows = []
for i in range(3):
    w.grad = None
    out.backward(torch.nn.functional.one_hot(torch.tensor(i), 3).float(), retain_graph=True)
    rows.append(w.grad.clone())
print(torch.stack(rows))
print(torch.allclose(torch.stack(rows), torch.autograd.functional.jacobian(lambda v: torch.stack([v.sin().sum(), (v ** 2).sum(), v.prod()]), w.detach())))
# %%
z = w * 2
s = z.sum()
s.backward()
s.backward()
print(w.grad)
q = (w * w).sum()
q.backward()
q.backward()
