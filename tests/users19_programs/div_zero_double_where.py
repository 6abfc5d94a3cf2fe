import torch

# "torch.where gives nan gradients even though the branch is not used"
x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
y = torch.where(x > 0, 1.0 / x, torch.zeros_like(x))
print(y)
y.sum().backward()
print(x.grad)
# %%
# the double-where trick: make the unused branch's input safe first
x.grad = None
safe = torch.where(x > 0, x, torch.ones_like(x))
y = torch.where(x > 0, 1.0 / safe, torch.zeros_like(x))
y.sum().backward()
print(y, x.grad)
# %%
# the same with log and sqrt
x = torch.tensor([-1.0, 0.0, 4.0], dtype=torch.float64, requires_grad=True)
torch.where(x > 0, torch.log(x), x).sum().backward()
print(x.grad)
x.grad = None
torch.where(x > 0, torch.sqrt(x), torch.zeros_like(x)).sum().backward()
print(x.grad)
x.grad = None
safe = torch.where(x > 0, x, torch.ones_like(x))
torch.where(x > 0, torch.log(safe), x).sum().backward()
print(x.grad)
# %%
# sinc-like x / x at 0
t = torch.tensor([0.0, 0.5], requires_grad=True)
(torch.sin(t) / t).sum().backward()
print(t.grad)
t.grad = None
torch.sinc(t).sum().backward()
print(t.grad)
# %%
# masking with multiplication does not help either: nan * 0 = nan
t.grad = None
m = (t != 0).float()
(m * (1.0 / t)).sum().backward()
print(t.grad)
t.grad = None
(1.0 / t).masked_fill(t == 0, 0.0).sum().backward()
print(t.grad)
