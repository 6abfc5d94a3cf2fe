"""Session 9 (lead): prints of libraries while a function records; the
softmax family's shift as one record."""
import io
import math
import warnings

import numpy as np
import pytest
import torch

import jitgrad as jg
from jitgrad.core import kernels as K


def _library_print():
    print("# File: annotations", file=io.StringIO())


# A function of a library module (Numba prints its type annotations into a
# buffer while it compiles a kernel, which a recording on a cold cache ran into).
_numba_like = type(_library_print)(_library_print.__code__, {"__name__": "numba.core.fake", "print": print, "io": io})


def test_a_library_print_while_recording_does_not_make_the_function_eager():
    def f(x):
        _numba_like()
        return (x * 2.0).sin().sum()

    cf = jg.compile(f)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="jitgrad.compile")
        for v in ([0.5, 1.0], [2.0, -1.0], [3.0, 0.25]):
            x = jg.tensor(v, requires_grad=True)
            y = cf(x)
            y.backward()
            t = jg.tensor(v, requires_grad=True)
            (t * 2.0).sin().sum().backward()       # eager, bit for bit
            assert y.item() == (t * 2.0).sin().sum().item()
            assert np.array_equal(x.grad.numpy(), t.grad.numpy())
    assert cf.records == 1 and cf.replays == 2, cf.report()


def test_a_user_print_while_recording_still_runs_eagerly(capsys):
    def f(x):
        print("loss")
        return x.sum()

    cf = jg.compile(f)
    with pytest.warns(RuntimeWarning, match="print"):
        cf(jg.ones(2, requires_grad=True))
    cf(jg.ones(2, requires_grad=True))
    assert capsys.readouterr().out == "loss\nloss\n"


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_the_softmax_shift_is_one_record_and_replays_every_case(name, dtype):
    """Each call's vector needs another shift: finite, all -inf, +inf, nan,
    signed zeros; values and gradients bit for bit eager jitgrad, and torch's."""
    rows = [[0.5, 3.0, -1.0, 2.0], [100.0, 101.0, 99.0, -5.0], [-math.inf] * 4,
            [1.0, math.inf, 0.0, 2.0], [math.nan, 1.0, 2.0, 3.0], [-0.0, 0.0, -0.0, -1.0],
            [-math.inf, 2.0, -math.inf, 1.0]]

    def fn(lib, x):
        v = lib.stack([x[0] * 1.5, x[1], x[2] - 0.5, x[3]])
        if name == "logsumexp":
            return lib.logsumexp(v, 0) * 2.0
        return (getattr(lib.nn.functional, name)(v, dim=0) * lib.arange(1.0, 5.0, dtype=v.dtype)).sum()

    cf = jg.compile(lambda x: fn(jg, x))
    for r in rows:
        outs = []
        for lib, f in ((jg, cf), (jg, lambda x: fn(jg, x)), (torch, lambda x: fn(torch, x))):
            x = lib.tensor(r, dtype=getattr(lib, dtype), requires_grad=True)
            y = f(x)
            y.backward()
            outs.append((y.detach().numpy(), x.grad.numpy()))
        for k in range(2):      # replay bit for bit eager; both as torch
            np.testing.assert_array_equal(outs[0][k], outs[1][k])
            tol = 1e-6 if dtype == "float32" else 1e-13
            np.testing.assert_allclose(outs[0][k], outs[2][k], rtol=tol, atol=1e-30)
    assert cf.records == 1 and cf.replays == len(rows) - 1, cf.report()
    ops = cf.tapes[0].rec[:, 0].tolist()
    shift = K.SHIFT_OF_MAX if name == "logsumexp" else K.SHIFT_OF_MAX_KEEP_INF
    i = ops.index(shift)      # the max of x's slots, read without a copy each
    assert ops.count(shift) == 1 and K.MASK_KEEP not in ops and ops[i - 4:i] == [K.COPY] + [K.MAXIMUM] * 3
