# ruff: noqa: F821
import torch

a = torch.tensor([7, -7, 5, -5])
b = torch.tensor([2, 2, -3, -3])
print(a // b, a % b, torch.fmod(a, b), torch.remainder(a, b), a / b, torch.div(a, b, rounding_mode="trunc"))
print(torch.div(a, b, rounding_mode="floor"), a.float() // b, (a * 1.5).dtype, (a + True).dtype, (a > 0).sum())
print(a & 3, a | 8, a ^ 1, ~a, a << 1, a >> 1, torch.bitwise_and(a, b))
u = torch.tensor([250, 10], dtype=torch.uint8)
print(u + 10, u * 2, (u - 20), u.to(torch.int8), torch.tensor([300]).to(torch.uint8))
print(torch.tensor([2.5, 3.5, -2.5, 0.5]).round(), torch.tensor([-1.5, 1.7]).floor(), torch.tensor([-1.5, 1.2]).ceil(), torch.tensor([-1.7, 1.7]).trunc())
print(torch.clamp(a, min=-6, max=6), torch.clamp(a, min=torch.tensor([0, 0, 0, -10])), a.abs(), a.sign(), a.pow(2), a ** 0)
print(torch.tensor(3) / torch.tensor(2), torch.tensor(3) * 0.5, torch.tensor([1, 2]) + torch.tensor([0.5]), torch.tensor(1, dtype=torch.int32) + 1)
print(torch.tensor([1, 2], dtype=torch.int32) + torch.tensor(1), torch.tensor([1, 2], dtype=torch.int32) * 2.0, torch.tensor([True, False]) + torch.tensor([True, True]))
# %%
x = torch.arange(10)
print(x.float().mean(), x.sum(), x.prod(), x.max(), x.cumsum(0).dtype, x.double().std(), x.median(), x.float().var())
try:
    x.mean()
except RuntimeError as e:
    print(e)
try:
    torch.tensor([1, 2]) // 0
except RuntimeError as e:
    print(e)
print(torch.tensor([1.0, 2.0]) // 0, torch.tensor([1.0, -1.0, 0.0]) / 0)
print(torch.tensor([1, 2]).to(torch.float16) / 3, torch.tensor([1e10]).int() if False else torch.tensor([1e5]).int())
print(torch.iinfo(torch.int16).max, torch.finfo(torch.float32).eps, torch.finfo(torch.float64).tiny, torch.finfo(torch.float16).max)
