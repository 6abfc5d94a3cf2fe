"""known17: differences from torch 2.13 fixed this session, each checked
against torch itself (tests/_fidelity.py)."""
import pytest

from _fidelity import both, same


# ----- `x.data = ...` / writes through `x.data` between forward and backward:
# torch's nodes saved the leaf itself (its storage is swapped, no version
# bump), so their backward reads the new values; saved results keep the old.
DATA_FORWARDS = {
    "pow2": lambda x: x ** 2, "pow3": lambda x: x ** 3, "mul": lambda x: x * x, "exp": lambda x: x.exp(),
    "sin": lambda x: x.sin(), "square": lambda x: x.square(), "tanh": lambda x: x.tanh(),
    "log": lambda x: x.log(), "dot": lambda x: x @ x, "sum_times": lambda x: x.sum() * x,
}


@pytest.mark.parametrize("name", sorted(DATA_FORWARDS))
@pytest.mark.parametrize("n", [2, 300, 70000])
def test_data_assignment_between_forward_and_backward(name, n):
    def run(L):
        x = L.ones(n, requires_grad=True)
        y = DATA_FORWARDS[name](x)
        x.data = L.arange(1, n + 1, dtype=L.float32) / n + 2
        y.sum().backward()
        return x.grad
    same(*both(run))


def test_data_assigned_twice_and_read_by_later_ops():
    def run(L):
        x = L.ones(2, requires_grad=True)
        y = x ** 3
        x.data = L.tensor([1., 2.])
        x.data = L.tensor([3., 2.])
        z = x ** 2          # reads the new values too
        (y.sum() + z.sum()).backward()
        return x.grad
    same(*both(run))


def test_write_through_data_between_forward_and_backward():
    def run(L):
        x = L.ones(3, requires_grad=True)
        s = L.tensor(2., requires_grad=True)
        y = (x ** 2).sum() + s ** 3
        x.data[0] = 5.
        s.data.mul_(2)      # a 0-d tensor's .data: no version bump either
        y.backward()
        return x.grad, s.grad
    same(*both(run))


def test_data_assignment_linear_weight():
    def run(L):
        L.manual_seed(0)
        lin = L.nn.Linear(4, 3)
        inp = L.ones(5, 4, requires_grad=True)
        out = lin(inp).pow(2).sum()
        lin.weight.data = L.arange(12, dtype=L.float32).reshape(3, 4) / 12
        out.backward()
        return inp.grad, lin.weight.grad
    same(*both(run))
