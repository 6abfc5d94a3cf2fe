import torch

a8 = torch.tensor([100, 120, -128], dtype=torch.int8)
print(a8 + 100, a8 * 2, (a8 + a8).dtype, -a8, a8.abs())
u8 = torch.tensor([250, 5], dtype=torch.uint8)
print(u8 + 10, u8 - 10, u8 * 2, u8 // 3, u8.sum(), u8.sum().dtype, u8.cumsum(0))
i32 = torch.tensor([2**31 - 1], dtype=torch.int32)
print(i32 + 1, (i32 + 1).dtype, i32.to(torch.int64) + 1, i32 * 2.0)
big = torch.tensor([2**62], dtype=torch.int64)
print(big * 2, big + big, torch.tensor(2**63 - 1) + 1)
print(torch.tensor([1, 2, 3]).prod(), torch.arange(1, 25).prod())
# %%
# promotion with 0-d tensors and Python scalars
f32 = torch.ones(2)
print((f32 + torch.tensor(1.0, dtype=torch.float64)).dtype, (f32 + torch.tensor([1.0], dtype=torch.float64)).dtype)
print((torch.ones(2, dtype=torch.int32) + torch.tensor(1)).dtype, (torch.ones(2, dtype=torch.int32) + torch.tensor([1])).dtype)
print((torch.ones(2, dtype=torch.int32) + 1.5).dtype, (torch.ones(2, dtype=torch.int32) + torch.tensor(1.5)).dtype)
print((torch.ones(2, dtype=torch.uint8) + torch.tensor(-1)).dtype, torch.ones(2, dtype=torch.uint8) + torch.tensor(-1))
print((torch.ones(2, dtype=torch.bool) + 1).dtype, (torch.ones(2, dtype=torch.bool) + True).dtype, (torch.tensor(True) * 2.5).dtype)
print((torch.ones(2, dtype=torch.float16) + torch.tensor(1.0)).dtype, (torch.ones(2, dtype=torch.float16) * torch.ones(2)).dtype)
print(torch.result_type(torch.ones(2, dtype=torch.int8), 1000), torch.result_type(torch.tensor(1), 1.0))
print(torch.promote_types(torch.uint8, torch.int8), torch.promote_types(torch.int64, torch.float16), torch.can_cast(torch.float32, torch.int32))
print(torch.tensor([1, 2]) / 2, torch.tensor([1, 2]) // 2, torch.tensor([-7, 7]) // 2, torch.tensor([-7, 7]) % 3, torch.tensor([1, 2]) ** 2)
print(torch.tensor([5]).div(2, rounding_mode='floor').dtype, torch.tensor([5]).true_divide(2).dtype, torch.tensor([-5]).div(2, rounding_mode='trunc'))
# %%
print(torch.iinfo(torch.int8), torch.iinfo(torch.uint8).max, torch.iinfo(torch.int32).min, torch.iinfo(torch.int64).bits)
print(torch.finfo(torch.float32), torch.finfo().eps, torch.finfo(torch.float64).resolution, torch.finfo(torch.float32).smallest_normal)
print(torch.finfo(torch.float64).max > 1e308, torch.finfo(torch.float32).dtype, torch.iinfo(torch.int16).dtype)
x = torch.tensor([3.7, -3.7, 2.5, -2.5, 1e10])
print(x.to(torch.int32)[:4], x[:4].long(), x[:4].round(), x.to(torch.int64)[4], x[:4].to(torch.uint8))
print(torch.tensor([300.0, -1.0]).to(torch.uint8), torch.tensor([1.0, 0.0, -0.0, float('nan')]).bool())
print(torch.tensor(0.1, dtype=torch.float64).float().item(), torch.tensor(16777217.0).item(), torch.tensor(16777217).float().long())
# %%
torch.iinfo(torch.float32)
# %%
torch.finfo(torch.int32)
# %%
torch.tensor([1, 2], dtype=torch.int8).add_(1.5)
# %%
torch.tensor([1, 2]) << 70
# %%
torch.ones(2, dtype=torch.uint8) - torch.ones(2, dtype=torch.bool)
# %%
torch.tensor([True]) - torch.tensor([True])
