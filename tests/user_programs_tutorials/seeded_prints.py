# After torch.manual_seed, pasted code prints torch's random numbers.
import torch
torch.manual_seed(0)
print(torch.rand(5))
print(torch.randn(2, 3))
print(torch.randn(4, 5))
print(torch.randint(0, 10, (6,)))
print(torch.rand(3, dtype=torch.float64), torch.randn(2, dtype=torch.double))
# %%
torch.manual_seed(42)
model = torch.nn.Linear(3, 2)
print(model.weight, model.bias)
x = torch.randn(4, 3)
print(model(x))
# %%
x = torch.rand(3, requires_grad=True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
print(y)
y.backward(torch.tensor([0.1, 1.0, 0.0001]))
print(x.grad)
# %%
g = torch.Generator().manual_seed(7)
print(torch.randn(3, generator=g), torch.empty(20).normal_(0.0, 2.0)[:4])
torch.manual_seed(1)
w = torch.empty(3, 5)
torch.nn.init.kaiming_uniform_(w)
print(w)
torch.nn.init.xavier_normal_(w)
print(w)
