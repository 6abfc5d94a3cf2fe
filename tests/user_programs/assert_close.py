import torch
a = torch.tensor([1.0, 2.0, 3.0])
b = a + 1e-7
torch.testing.assert_close(a, b)
print(torch.allclose(a, b), torch.allclose(a, b + 1), torch.equal(a, a.clone()))
try:
    torch.testing.assert_close(a, a + 0.1)
except AssertionError as e:
    print("AE", str(e).splitlines()[0])
torch.testing.assert_close(torch.tensor(1.0, dtype=torch.float64), torch.tensor(1.0 + 1e-9, dtype=torch.float64))
try:
    torch.testing.assert_close(torch.tensor(1.0), torch.tensor(1.0, dtype=torch.float64))
except Exception as e:
    print(type(e).__name__, str(e).splitlines()[0])
print(torch.isclose(a, b))
