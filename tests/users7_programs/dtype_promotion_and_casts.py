import torch
print(torch.float32.is_floating_point, torch.int64.is_signed, torch.float64.itemsize, torch.bool.is_complex)
print(torch.promote_types(torch.int32, torch.float32), torch.can_cast(torch.float64, torch.int32))
print(torch.result_type(torch.tensor([1]), 1.0), (torch.tensor([1], dtype=torch.int32) + torch.tensor(2)).dtype)
print((torch.tensor([1.0]) + torch.tensor(2.0, dtype=torch.float64)).dtype, (torch.tensor([1], dtype=torch.uint8) + torch.tensor([1], dtype=torch.int8)).dtype)
print((torch.tensor([1.0]) * 2).dtype, (torch.tensor([1]) * 2.0).dtype, (torch.tensor([True]) + 1).dtype, (torch.tensor([1.0], dtype=torch.float64) * torch.tensor([1.0])).dtype)
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([0.5, 0.25], dtype=torch.float64, requires_grad=True)
y = (x * w).sum()
print(y, y.dtype)
y.backward()
print(x.grad, x.grad.dtype, w.grad, w.grad.dtype)
# %%
x = torch.tensor([1.5, -2.7, 3.99])
print(x.int(), x.long(), x.to(torch.int8), x.round(), x.trunc(), x.floor(), x.ceil(), x.frac())
print(x.bool(), torch.tensor([0, 1, 2]).bool(), torch.tensor([True, False]).float(), torch.tensor([1.7, -1.7]).int())
print(x.to(torch.float64), x.double().float(), x.half(), x.type(torch.int32), x.type())
# %%
try:
    torch.tensor([1, 2], requires_grad=True)
except RuntimeError as e:
    print(e)
try:
    torch.tensor([1, 2]).requires_grad_()
except RuntimeError as e:
    print(e)
try:
    x = torch.tensor([1.0], requires_grad=True)
    x.long().sum().backward()
except RuntimeError as e:
    print(e)
try:
    torch.ones(2, dtype=torch.int64).mean()
except RuntimeError as e:
    print(e)
try:
    torch.ones(2, dtype=torch.float32) @ torch.ones(2, dtype=torch.float64)
except RuntimeError as e:
    print(e)
