import torch
a = torch.tensor([[1., 2.], [3., 4.]])
y3 = torch.zeros(2, 2)
r = torch.matmul(a, a.T, out=y3)
print(y3, r is y3)
z3 = torch.zeros(2, 2)
torch.mul(a, a, out=z3)
torch.add(a, 1, out=z3)
print(z3)
# %%
z = torch.zeros(2)
print(torch.sin(torch.tensor([0.5, 1.0]), out=z), z)
s = torch.zeros(())
print(torch.sin(torch.tensor(0.5), out=s), s)
print(torch.sum(a, 1, out=torch.zeros(2, dtype=torch.float64)))
print(torch.mean(a, 0, out=torch.zeros(2)))
print(torch.cat([a, a], out=torch.zeros(4, 2)))
print(torch.eq(a, 1, out=torch.zeros(2, 2)))
print(torch.clamp(a, 1.5, 3.5, out=torch.zeros(2, 2)))
print(torch.pow(a, 2, out=torch.zeros(2, 2)))
print(torch.where(a > 2, a, torch.zeros(2, 2), out=torch.zeros(2, 2)))
t = torch.zeros(1)
torch.exp(torch.ones(2), out=t)
print(t)
# %%
buf = torch.zeros(4)
torch.mul(torch.ones(2), 3, out=buf[1:3])
print(buf, buf._version)
# %%
vals, idx = torch.zeros(2), torch.zeros(2, dtype=torch.long)
torch.max(a, 1, out=(vals, idx))
print(vals, idx)
torch.sort(torch.tensor([3., 1.]), out=(vals, idx))
print(vals, idx)
# %%
print(torch.arange(3, out=torch.zeros(3, dtype=torch.long)))
print(torch.zeros(2, out=torch.empty(0, dtype=torch.long)))
print(torch.linspace(0, 1, 3, out=torch.empty(3, dtype=torch.float64)))
# %%
t = torch.zeros(3)
torch.add(torch.ones(2), 1, out=t)
t
# %%
e = torch.empty(0)
torch.add(torch.ones(2), 1, out=e)
e
# %%
w = torch.ones(2, requires_grad=True)
torch.mul(w, 2, out=torch.zeros(2))
# %%
torch.sin(w, out=torch.zeros(2))
# %%
with torch.no_grad():
    print(torch.mul(w, 2, out=torch.zeros(2)))
# %%
torch.add(torch.ones(2), 1, out=torch.zeros(2, dtype=torch.long))
# %%
torch.add(torch.ones(2, dtype=torch.long), 1, out=torch.zeros(2, dtype=torch.bool))
# %%
torch.matmul(a, a, out=torch.zeros(2, 2, dtype=torch.float64))
# %%
torch.add(torch.ones(2), 1, out=torch.zeros(2, requires_grad=True))
