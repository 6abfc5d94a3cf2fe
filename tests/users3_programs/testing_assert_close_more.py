# ruff: noqa: F821
import torch

def show(f):
    try:
        f()
        print("ok")
    except Exception as e:
        print(type(e).__name__ + ":", str(e).replace("\n\n", "\n"))

show(lambda: torch.testing.assert_close(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0 + 1e-7])))
show(lambda: torch.testing.assert_close(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.1])))
show(lambda: torch.testing.assert_close(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0], dtype=torch.float64)))
show(lambda: torch.testing.assert_close(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0], dtype=torch.float64), check_dtype=False))
show(lambda: torch.testing.assert_close(torch.ones(2, 3), torch.ones(3, 2)))
show(lambda: torch.testing.assert_close(torch.tensor([1, 2]), torch.tensor([1, 3])))
show(lambda: torch.testing.assert_close(torch.tensor(float("nan")), torch.tensor(float("nan"))))
show(lambda: torch.testing.assert_close(torch.tensor(float("nan")), torch.tensor(float("nan")), equal_nan=True))
show(lambda: torch.testing.assert_close(torch.tensor([1.0, 5.0]), torch.tensor([1.1, 5.0]), rtol=0.0, atol=0.2))
show(lambda: torch.testing.assert_close({"a": torch.ones(2)}, {"a": torch.zeros(2)}))
show(lambda: torch.testing.assert_close([torch.ones(1), 2.0], [torch.ones(1), 2.0]))
show(lambda: torch.testing.assert_close(1.0, 1.0 + 1e-9))
show(lambda: torch.testing.assert_close(torch.ones(2), torch.ones(2), rtol=1e-3))
print(torch.allclose(torch.tensor([1.0]), torch.tensor([1.0 + 1e-9])), torch.isclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.5]), atol=0.4))
print(torch.equal(torch.ones(2), torch.ones(2, dtype=torch.float64)), torch.equal(torch.ones(2), torch.ones(3)))
