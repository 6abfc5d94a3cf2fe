import torch

# when does printing switch to scientific notation?
for vals in ([1.0, 10.0, 100.0], [1.0, 1000.0], [0.001, 1.0], [0.0001, 1.0],
             [1e-5, 1.0], [1.0, 1e8], [123456.0, 0.5], [1e9], [1e-9], [0.0, 1e10]):
    print(torch.tensor(vals))
# %%
print(torch.tensor([1.5e-3, 2.25e5, -7.0]))
print(torch.tensor([3.0, float("nan"), float("inf"), -float("inf")]))
print(torch.tensor([1e20, float("nan")]))
print(torch.tensor([0.1, 0.25, 1.0]).double() * 1e-7)
# %%
x = torch.linspace(-1, 1, 5) * 1e4
x
# %%
print(torch.tensor([1, 2, 3.0]), torch.tensor([1e-30, 1.0]))
print(torch.tensor(1e-30), torch.tensor(12345678.0), torch.tensor(-0.0))
