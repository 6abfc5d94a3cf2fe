import torch
a = torch.tensor([1, 2, 3])
b = torch.tensor([0.5, 1.5, 2.5])
c = torch.tensor([1.0, 2.0], dtype=torch.float64)
print(a + b, (a * 2.5).dtype, (a / 2).dtype, (a // 2), a ** 2, (a > 1).sum(), a.float() / 3)
print(torch.tensor(2) * c, torch.tensor(2.0) * c, b.sum().dtype, a.sum().dtype, a.mean(dtype=torch.float32))
print((torch.tensor([True, False]) + 1), torch.tensor([1, 2], dtype=torch.int32) + torch.tensor([1, 2]))
print(b.to(torch.int64), b.round(), b.floor(), b.ceil(), b.trunc(), torch.round(torch.tensor([0.5, 1.5, 2.5])))
print(a.max(), a.argmax(), a.clamp(min=2), torch.where(a > 1, a, 0), a.tolist(), a[0].item(), type(a[0].item()))
print(torch.tensor(3.7).int(), torch.tensor([-3.7]).long(), 7 % torch.tensor(3), torch.tensor(-7) // 2, torch.fmod(torch.tensor(-7.0), 2))
print(torch.tensor([1.0, 2.0]) @ torch.tensor([3.0, 4.0]), torch.dot(b, b), torch.tensor([[1, 2]]) @ torch.tensor([[3], [4]]))
try:
    torch.tensor([1, 2]) @ torch.tensor([1.0, 2.0])
except RuntimeError as e:
    print(e)
