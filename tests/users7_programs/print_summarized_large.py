import torch
print(torch.arange(1001))
print(torch.arange(2000.0).reshape(40, 50))
print(torch.zeros(3, 400, dtype=torch.int64))
# %%
t = torch.linspace(-1, 1, 1500, requires_grad=True)
y = t * 2
print(y)
# %%
print(torch.ones(11, 11, 11))
# %%
print(torch.arange(1200).reshape(2, 3, 200) % 7 == 0)
print(torch.arange(1001, dtype=torch.float64) / 7)
# %%
big = torch.arange(1500.0)
big[3] = float("nan")
big[-1] = float("inf")
print(big)
