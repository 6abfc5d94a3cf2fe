"""A tensor that doesn't require grad, saved by an op for its other
operand's gradient (c * w saves c; c / w saves both; a number's c / w saves
a reciprocal) and then written in place before the backward: torch's
version counter error, as torch raises it (message included); where the op
saved nothing of it, or the backward doesn't reach the op, no error and
torch's gradient. (Not yet: fmax / fmin, composites whose constant operand
only makes a mask: torch's FmaxBackward0 saves it.)"""
import numpy as np
import pytest
import torch

import jitgrad as jg

OPS = {
    "c * w": lambda L, c, w: c * w,
    "w * c": lambda L, c, w: w * c,
    "c / w": lambda L, c, w: c / w,
    "w / c": lambda L, c, w: w / c,
    "L.div(c, w)": lambda L, c, w: L.div(c, w),
    "c - w": lambda L, c, w: c - w,
    "c + w": lambda L, c, w: c + w,
    "L.atan2(c, w)": lambda L, c, w: L.atan2(c, w),
    "L.hypot(w, c)": lambda L, c, w: L.hypot(w, c),
    "w ** c": lambda L, c, w: w ** c,
    "L.maximum(c, w)": lambda L, c, w: L.maximum(c, w),
    "L.mul(w, c).exp()": lambda L, c, w: L.mul(w, c).exp(),
    "L.copysign(w, c)": lambda L, c, w: L.copysign(w, c),
    "L.fmod(w, c)": lambda L, c, w: L.fmod(w, c),
    "L.remainder(c, w)": lambda L, c, w: L.remainder(c, w),
    "L.xlogy(c, w)": lambda L, c, w: L.xlogy(c, w),
    "L.logaddexp(c, w)": lambda L, c, w: L.logaddexp(c, w),
    "L.lerp(w, c, 0.3)": lambda L, c, w: L.lerp(w, c, 0.3),
    "L.where(c > 1, w, c)": lambda L, c, w: L.where(c > 1, w, c),
}

SHAPES = {"0-d": ((), ()), "vectors": ((3,), (3,)), "broadcast c": ((3,), (2, 3)), "size-1 c": ((1,), (2, 3)),
          "broadcast w": ((2, 3), (3,))}

WRITES = {
    "mul_": lambda L, c: c.mul_(3),
    "copy_": lambda L, c: c.copy_(L.full_like(c, 0.5)),
    "setitem": lambda L, c: c.__setitem__((Ellipsis,), 2.0),
    "add_ under no_grad": lambda L, c: c.add_(1.0),
}


def _run(L, op, shapes, write, dtype, reached=True):
    cshape, wshape = shapes
    c = L.tensor(np.linspace(0.5, 1.5, int(np.prod(cshape))).reshape(cshape), dtype=dtype)
    w = L.tensor(np.linspace(1.0, 2.0, int(np.prod(wshape))).reshape(wshape), dtype=dtype, requires_grad=True)
    y = OPS[op](L, c, w)
    other = (w * 2).sum()
    with L.no_grad():
        WRITES[write](L, c)
    try:
        (y.sum() + other if reached else other).backward()
    except RuntimeError as e:
        return "error", str(e)
    return "grad", w.grad.numpy().copy()


@pytest.mark.parametrize("op", list(OPS))
@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("write", ["mul_", "setitem"])
def test_write_after_use_as_torch(op, shape, write):
    got = _run(jg, op, SHAPES[shape], write, jg.float64)
    want = _run(torch, op, SHAPES[shape], write, torch.float64)
    assert got[0] == want[0], (got, want)
    if got[0] == "error":
        assert got[1] == want[1]
    else:
        np.testing.assert_allclose(got[1], want[1], rtol=1e-12)


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_writes_and_dtypes(write, dtype):
    for op in ("c * w", "c / w", "w / c"):
        got = _run(jg, op, SHAPES["vectors"], write, getattr(jg, dtype))
        want = _run(torch, op, SHAPES["vectors"], write, getattr(torch, dtype))
        assert got[0] == want[0] and (got[0] == "grad" or got[1] == want[1]), (op, got, want)


@pytest.mark.parametrize("op", ["c * w", "c / w"])
def test_backward_not_reaching_the_op_raises_nothing(op):
    for L in (jg, torch):
        kind, g = _run(L, op, SHAPES["vectors"], "mul_", L.float64, reached=False)
        assert kind == "grad" and np.array_equal(g, np.full(3, 2.0))


def test_write_after_backward_and_a_new_graph():
    """A data tensor written in place every step (a batch buffer): each
    step's graph saved the values of its own step."""
    for L in (jg, torch):
        x = L.zeros(4, dtype=L.float64)
        w = L.ones(4, dtype=L.float64, requires_grad=True)
        for step in range(3):
            with L.no_grad():
                x.copy_(L.arange(4, dtype=L.float64) + step)
            (x * w).sum().backward()
        assert w.grad.tolist() == [3.0, 6.0, 9.0, 12.0]


def test_number_numerator_saves_a_reciprocal():
    """2.0 / w is torch's reciprocal(w) * 2: writing w's detached alias
    in place leaves nothing stale; a tensor numerator's DivBackward0 raises."""
    for L in (jg, torch):
        w = L.tensor([2.0, 4.0], requires_grad=True)
        y = (2.0 / w).sum()
        with L.no_grad():
            w.detach().mul_(2)
        y.backward()
        assert np.allclose(w.grad.numpy(), [-0.5, -0.125])
    msgs = []
    for L in (jg, torch):
        w = L.tensor([2.0, 4.0], requires_grad=True)
        y = (L.full((2,), 2.0) / w).sum()
        with L.no_grad():
            w.detach().mul_(2)
        with pytest.raises(RuntimeError) as e:
            y.backward()
        msgs.append(str(e.value))
    assert msgs[0] == msgs[1]


def test_parameter_without_grad_as_a_constant_operand():
    """A Parameter with requires_grad=False (a frozen layer's weight) saved
    by c / w and written in place: torch's error too."""
    msgs = []
    for L in (jg, torch):
        c = L.nn.Parameter(L.tensor([1.0, 2.0]), requires_grad=False)
        w = L.tensor([2.0, 4.0], requires_grad=True)
        y = (c / w).sum()
        with L.no_grad():
            c.mul_(2)
        with pytest.raises(RuntimeError) as e:
            y.backward()
        msgs.append(str(e.value))
    assert msgs[0] == msgs[1]
