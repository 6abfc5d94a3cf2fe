"""Writes through `.data` of a recorded non-leaf: `.data` shares the storage
and not the version counter, so torch's nodes that saved the tensor (as an
input or as their result) read the new values at backward, and no error is
raised (a write through detach() shares the version counter: it raises)."""
import pytest

from _fidelity import both, raises_same, same


def _exp_log(L):
    x = L.tensor([1., 2.], requires_grad=True)
    y = x.exp()
    y.retain_grad()
    z = y.log()
    y.data.fill_(1.)        # exp saved its result, log its input: both read 1
    z.sum().backward()
    return y.grad, x.grad


def _mul_after(L):
    x = L.tensor([1., 2.], requires_grad=True)
    y = x * 3
    z = y * y
    y.data.mul_(2)
    z.sum().backward()
    return x.grad


def _zero_dim(L):
    x = L.tensor(1.5, requires_grad=True)
    y = x.exp()
    z = y * y
    y.data.fill_(2.)
    z.backward()
    return x.grad, y


def _setitem_float64(L):
    x = L.tensor([1., 2.], dtype=L.float64, requires_grad=True)
    y = x.sin()
    z = (y * x).sum()
    y.data[0] = 5.
    z.backward()
    return x.grad


def _slice_of_data_then_new_op(L):
    x = L.tensor([1., 2., 3.], requires_grad=True)
    y = x * 2
    z = (y ** 2).sum()
    y.data[1:].mul_(3)
    w = (y * 1).sum()       # made after the write: reads the new values too
    (z + w).backward()
    return x.grad, y


def _saved_result_zeroed(L):
    x = L.tensor([1., 2.], requires_grad=True)
    y = x.sigmoid()
    z = y.sum() * y.prod()
    y.data.zero_()
    z.backward()
    return x.grad


def _copy_then_retain(L):
    x = L.tensor([1., 2.], requires_grad=True)
    y = x * x
    z = (y * x).sum()
    y.data.copy_(L.tensor([7., 8.]))
    z.backward(retain_graph=True)
    g1 = x.grad.clone()
    z.backward()
    return g1, x.grad, y


def _matmul(L):
    x = L.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    y = x @ x
    z = (y * y).sum()
    y.data.mul_(0.5)
    z.backward()
    return x.grad


@pytest.mark.parametrize("case", [_exp_log, _mul_after, _zero_dim, _setitem_float64, _slice_of_data_then_new_op,
                                  _saved_result_zeroed, _copy_then_retain, _matmul])
def test_nodes_read_values_written_through_data(case):
    ref, got = both(case)
    same(ref, got)


def test_a_write_through_detach_still_raises():
    def case(L):
        x = L.tensor([1., 2.], requires_grad=True)
        y = x.exp()
        z = (y * y).sum()
        y.detach().zero_()
        z.backward()
    raises_same(case)
