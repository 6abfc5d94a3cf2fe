"""Comparisons, logical ops, isnan/isinf/isfinite, casts and `where` with a
condition computed on the tape are recorded by jitgrad.compile (the op
table's no-gradient entries and where's picks) and replayed in Numba: a
function whose mask changes between calls replays instead of re-recording.
Each call is compared with eager jitgrad (same bits, values and gradients)
and torch (tests/test_compile_safety.py's `scenario`); a mask whose value
Python reads any other way still guards (re-records), never a frozen value.
"""
import collections
import warnings

import numpy as np
import pytest

import jitgrad as jg
from jitgrad.core import ops as O
from jitgrad.func import value_and_grad as jg_value_and_grad
from test_compile_safety import F32, F64, scenario

NONDIFF = [op for op in O.TABLE if op.kind == "nondiff"]
# Inputs whose masks differ from call to call (signs, equal pairs, nan, inf, zeros).
VECTORS = [([0.5, -1.5, 2.0, 0.0], [0.5, 1.0, -2.0, 3.0]),
           ([-0.5, 1.5, -2.0, 3.0], [-0.5, 1.5, 2.0, -3.0]),
           ([float("nan"), 2.5, float("inf"), -0.25], [1.0, 2.5, float("-inf"), 0.0]),
           ([1.25, 0.0, -3.0, float("-inf")], [2.0, -1.0, -3.0, 0.5])]


def _use(name, lib, x, y):
    """A float result that depends on the entry's mask (and on x)."""
    if name == "select_order":      # sorting and selection (tests/test_compile_sorting.py)
        return lib.sort(x - y, descending=True).values * 2.0 + x * lib.argmax(x).to(x.dtype)
    if name.startswith("shift_of_max"):     # the softmax family's shift (functional/softmax_family.py)
        if name.endswith("keep_inf"):
            return lib.softmax(x * y, 0) * 2.0 + lib.log_softmax(x - y, 0)
        return lib.logsumexp(x * y, 0) + x
    if name.startswith("to_"):
        if name == "to_int64":
            v = (x * 1.5).long()
        elif name == "to_bool":
            v = x.bool()
        else:
            v = (x > y).to(getattr(lib, name[3:]))
        return lib.where(v.bool(), x, y) if name != "to_float32" else x * v.to(x.dtype)
    op = getattr(lib, name)
    mask = op(x, y) if O.BY_NAME[name].arity == 2 else op(x if name.startswith("is") else x > 0)
    return lib.where(mask, x * 2.0, -y) + x * mask.to(x.dtype)


@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("entry", NONDIFF, ids=[op.name for op in NONDIFF])
def test_every_no_gradient_entry_replays(entry, dtype):
    """Generated from the op table: one tape for every mask, bit for bit eager."""
    calls = [list(v) for v in VECTORS]
    if entry.name == "to_int64":
        calls = [[[c if np.isfinite(c) else 7.0 for c in x], y] for x, y in calls]   # nan/inf: guarded, tested below
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="jitgrad.compile")     # no eager fallback
        cf = scenario(lambda lib, x, y: _use(entry.name, lib, x, y), calls, dtype)
    assert cf.records == 1 and cf.replays == len(calls) - 1 and cf.eager_calls == 0, cf.report()
    e = cf.tapes[0]
    assert entry.opcode in set(e.rec[:, 0].tolist())          # recorded, not a guard
    assert e.stats()["host_forward_records"] == 0


@pytest.mark.parametrize("dtype", [F64, F32])
def test_the_issue_example_replays(dtype):
    def fn(lib, x):
        y = lib.where(x > 0, x * 2, -x)
        m = (x > 0.5).float()
        return (y * m).sum() + x.clamp(min=0).sum()
    rng = np.random.default_rng(3)
    cf = scenario(fn, [[rng.normal(size=6)] for _ in range(5)], dtype)
    assert cf.records == 1 and cf.replays == 4, cf.report()
    assert "4 replays, 1 recordings" in cf.report()


@pytest.mark.parametrize("dtype", [F64, F32])
def test_scalar_masks_relu_leaky_and_piecewise(dtype):
    def fn(lib, x, v):
        relu = x * (x > 0)
        leaky = lib.where(x > 0, x, 0.01 * x)
        # piecewise drag: quadratic above a speed, linear below; signed zeros and ties
        drag = lib.where(v.abs() > 1.0, v * v.abs(), v) * (~(v == 0)).to(v.dtype)
        inside = ((x > -1) & (x < 1)) | lib.logical_not(v < 2)
        return relu + leaky * 2 + drag + inside.to(x.dtype) * x
    calls = [[[a], [b]] for a, b in ((0.5, -2.0), (-0.5, 0.25), (0.0, 1.0), (-0.0, 3.0), (2.0, -0.0), (-3.0, 1.5))]
    cf = scenario(fn, calls, dtype)
    assert cf.records == 1 and cf.replays == len(calls) - 1, cf.report()


@pytest.mark.parametrize("dtype", [F64, F32])
def test_masked_fill_with_a_recorded_mask_replays(dtype):
    def fn(lib, x, y):
        return x.masked_fill(x < 0, 0.5) * 2 + y.masked_fill(lib.isnan(y) | (x > 1), -1.0) * x
    nan = float("nan")
    calls = [[[1.0, -2.0, 3.0], [nan, 1.0, 2.0]], [[-1.0, 2.0, 0.5], [1.0, nan, nan]], [[0.0, -0.0, 2.0], [3.0, 4.0, 5.0]]]
    cf = scenario(fn, calls, dtype)
    assert cf.records == 1 and cf.replays == 2, cf.report()


def test_accuracy_of_a_batch():
    def fn(lib, w, x, t):
        p = (x * w).sum(1).sigmoid()
        acc = ((p > 0.5).float() == t).float().mean()
        return (p - t).pow(2).mean() + 0.0 * acc, acc
    rng = np.random.default_rng(5)
    t = jg.tensor([1.0, 0.0, 1.0, 0.0, 1.0])
    cf = jg.compile(lambda w, x: fn(jg, w, x, t))
    for _ in range(4):
        w0, x0 = rng.normal(size=3), rng.normal(size=(5, 3))
        w1, w2 = (jg.tensor(w0, dtype=jg.float32, requires_grad=True) for _ in range(2))
        x1 = jg.tensor(x0, dtype=jg.float32)
        (l1, a1), (l2, a2) = cf(w1, x1), fn(jg, w2, x1, t)
        l1.backward()
        l2.backward()
        assert l1.item() == l2.item() and a1.item() == a2.item() and not a1.requires_grad
        assert np.array_equal(w1.grad.numpy(), w2.grad.numpy())
    assert cf.records == 1 and cf.replays == 3, cf.report()


def test_no_gradient_through_a_mask():
    """y reaches the output only through a comparison: torch gives it no
    gradient (None) and the mask doesn't require grad, inside and outside."""
    seen = collections.deque()      # (a list read by fn would re-record when it grows between calls)

    def fn(lib, x, y):
        m = (y > 0).to(x.dtype)
        seen.append((m.requires_grad, m.grad_fn is None, (y > 0).requires_grad))
        return x * 2 + m * x
    cf = scenario(fn, [[[1.0, -2.0], [0.5, -0.5]], [[3.0, 1.0], [-0.5, 0.5]]])
    assert cf.replays == 1
    assert all(s == (False, True, False) for s in seen)


def test_where_picks_keep_signed_zeros_inf_and_nan():
    def fn(lib, x):
        return lib.where(lib.isnan(x) | (x < 0), x * -0.0, x * 3.0) + lib.where(lib.isinf(x), 1.0, x)
    vals = [[0.0, -0.0, float("inf"), float("nan"), -2.0], [-0.0, 1.0, float("nan"), float("-inf"), 2.0],
            [float("inf"), -1.0, 0.0, 2.0, -0.0]]
    for dtype in (F64, F32):
        cf = scenario(fn, [[v] for v in vals], dtype)
        assert cf.records == 1 and cf.replays == 2, cf.report()


# ----- what stays a guard: never a frozen value -------------------------------------

def test_mask_used_as_an_index_is_guarded():
    # (x[mask]'s picks replay, tracked_picks.py; its count, the result's size, is guarded)
    def fn(lib, x):
        return x[x > 0].sum() * 2.0 + x.sum()
    calls = [[[1.0, -2.0, 3.0]], [[2.0, -1.0, 4.0]], [[-1.0, 2.0, 3.0]], [[-1.0, 2.0, -3.0]]]
    cf = scenario(fn, calls)
    assert cf.records == 2 and cf.replays == 2, cf.report()


def test_long_out_of_range_is_not_replayed_as_trunc():
    def fn(lib, x):
        return x * (x * 1e17).long().to(x.dtype)
    calls = [[[0.5, -0.25]], [[1.5, 2.0]], [[1e3, 0.1]], [[0.5, 0.75]]]   # 1e20: past int64: guarded
    cf = scenario(fn, calls, with_torch=False)      # (out of range: torch's own value is undefined)
    assert cf.records == 2, cf.report()


def test_in_place_write_to_a_mask_runs_eagerly():
    def fn(lib, x):
        m = x > 0
        m[0] = True
        return x * m
    with pytest.warns(RuntimeWarning, match="in-place write to a recorded comparison"):
        cf = scenario(fn, [[[-1.0, 2.0]], [[-3.0, -2.0]]])
    assert cf.eager_calls == 2 and cf.replays == 0


def test_mask_returned_as_an_output():
    def fn(lib, x):
        return x > 0, (x * 2).sum()
    cf = jg.compile(lambda x: fn(jg, x))
    for v in ([1.0, -1.0], [-1.0, 2.0], [0.0, 3.0]):
        (m, s), (m2, s2) = cf(jg.tensor(v)), fn(jg, jg.tensor(v))
        assert m.dtype == jg.bool and m.tolist() == m2.tolist() and s.item() == s2.item()
        assert repr(m) == repr(m2) and not m.requires_grad
    assert cf.records == 1 and cf.replays == 2


def test_library_masks_fixed_by_comparisons_stay_guarded():
    """clamp with tensor bounds and binary_cross_entropy compare only to fix
    NumPy masks (their results are dropped): those comparisons still guard."""
    def fn(lib, x, lo):
        p = (x * 0.5).sigmoid()
        return (x.clamp(lo, lo + 1.0) * x).sum() + lib.nn.functional.binary_cross_entropy(p, p.detach() * 0 + 0.5)
    calls = [[[0.5, -2.0, 1.5], [0.0, -1.0, 0.0]], [[-0.5, 2.0, 0.25], [0.0, -1.0, 0.0]],
             [[0.5, -2.0, 1.5], [0.0, -1.0, 0.0]]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # (detach: eager, with a warning)
        scenario(fn, calls, exact_grad=False)

    def gn(lib, x, lo):
        return (x.clamp(lo, lo + 1.0) * x).sum()
    cf = scenario(gn, calls)
    assert cf.records == 2 and cf.replays == 1, cf.report()


def _ior(lib, x):
    m = lib.zeros(4, dtype=lib.bool)
    m |= x > 0
    return (x * m).sum() + x[m].sum()


ESCAPES = {
    "clone_then_index": lambda lib, x: x[(x > 0).clone()].sum() + x.sum(),
    "in_place_or_into_a_constant": _ior,
    "count": lambda lib, x: x * (x > 0).sum(),
    "stack": lambda lib, x: (lib.stack([x > 0, x < 1]).float() * x).sum(),
    "numpy": lambda lib, x: x * float(np.asarray((x > 0).numpy()).sum()),
    "integer_arithmetic": lambda lib, x: x * ((x > 0).long() + 1).float(),
    "python_branch": lambda lib, x: x * 2 if (x > 2).any() else x * 3,
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_masks_read_outside_the_recording_ops_are_never_frozen(name):
    """Every other read of a recorded mask's value guards it (re-records when
    it changes): each call equals eager jitgrad and torch."""
    I = [[[1.0, -2.0, 3.0, 0.5]], [[-1.0, 2.0, -3.0, 0.5]], [[1.0, -2.0, 3.0, 0.5]], [[2.0, 2.0, -1.0, -0.5]]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cf = scenario(ESCAPES[name], I)
    assert cf.replays >= 1 and cf.records >= 2, cf.report()     # (calls 1 and 3 have the same masks)


# Views and reshapes of a recorded mask are recorded masks themselves (copies/gathers of its slots).
RESHAPED = {
    "reshaped_mask": lambda lib, x: (x * (x > 0).reshape(2, 2).reshape(4)).sum(),
    "element_of_mask": lambda lib, x: x * (x > 0)[0],
    "unsqueezed_mask": lambda lib, x: lib.where((x > 0).unsqueeze(-1), x[:, None], 0.0).sum(),
    "indexed_mask": lambda lib, x: (x * (x > 0)[None, :].T.reshape(-1)).sum(),
}


@pytest.mark.parametrize("name", sorted(RESHAPED))
def test_views_of_masks_replay(name):
    I = [[[1.0, -2.0, 3.0, 0.5]], [[-1.0, 2.0, -3.0, 0.5]], [[1.0, -2.0, 3.0, 0.5]], [[2.0, 2.0, -1.0, -0.5]]]
    cf = scenario(RESHAPED[name], I)
    assert cf.replays == 3 and cf.records == 1, cf.report()


def test_masks_in_value_and_grad_batch_and_tape_files(tmp_path):
    def f(x):
        return (jg.where(x > 0, x * x, -x) * (x < 1.5).double()).sum() + jg.isfinite(x).double().sum() * x[0]
    vg = jg.compile(jg_value_and_grad(f))
    rng = np.random.default_rng(1)
    for _ in range(4):
        a = rng.normal(size=5)
        v, g = vg(jg.tensor(a))
        x = jg.tensor(a, requires_grad=True)
        ve = f(x)
        ve.backward()
        assert v.item() == ve.item() and np.array_equal(g.numpy(), x.grad.numpy())
    cf = jg.compile(f)
    X = rng.normal(size=(6, 5))
    assert np.array_equal(cf.batch(jg.tensor(X)).numpy(), [f(jg.tensor(r)).item() for r in X])
    assert cf.records == 1 and cf.replays == 6
    path = str(tmp_path / "masks.npz")
    cf.tapes[0].save(path)
    loaded = jg.load_tape(path)
    for r in X:
        assert loaded(jg.tensor(r)).item() == f(jg.tensor(r)).item()
