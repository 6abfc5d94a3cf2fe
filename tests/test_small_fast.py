"""The fast paths of functional/small_ops.py (where, clamp with number bounds,
max / min with and without a dim, mean, on 0-d tensors and small vectors):
the same tape bytes (records, values, index maps), values, dtypes, grad_fn
names, gradients and second derivatives as the general paths
(small.ENABLED = False), and torch's answers."""
import math
import struct

import numpy as np
import pytest
import torch

import jitgrad
from jitgrad.functional import small, small_ops

DTYPES = ["float32", "float64"]


def fresh_tape():
    """Seal the thread's open tape: the next op opens a new one, so the two
    paths' tapes start at the same slot."""
    z = jitgrad.tensor(1.0, requires_grad=True)
    (z * 1.0).backward()


def tape_of(t):
    tp = t._tape
    return bytes(tp.rec), bytes(tp.vals), bytes(tp.meta)


def both_paths(build):
    """build() with the fast paths on, then off: (fast result, general result)."""
    assert small.ENABLED
    fresh_tape()
    fast = build()
    small.ENABLED = False
    try:
        fresh_tape()
        general = build()
    finally:
        small.ENABLED = True
    return fast, general


def dname(t):
    return str(t.dtype).split(".")[-1]


def bits(t):
    """Exact value bits (signs of zeros, NaN payloads), dtype and shape."""
    a = t.detach().numpy() if isinstance(t, jitgrad.Tensor) else t
    return (str(t.dtype), tuple(a.shape), np.ascontiguousarray(a).tobytes())


def summary(out, leaves, create_graph=False):
    """What must agree between the paths: value bits, repr, name, tape, and
    the gradient of each leaf (first, and second order by create_graph)."""
    row = [bits(out), repr(out), out.grad_fn.name() if out.grad_fn is not None else None,
           out.requires_grad]
    if out.requires_grad:
        row.append(tape_of(out))
        rg = [x for x in leaves if x.requires_grad]
        s = out.sum() if out.dim() else out
        grads = jitgrad.autograd.grad(s * 1.5, rg, create_graph=create_graph, allow_unused=True)
        row.append([None if g is None else bits(g) for g in grads])
        if create_graph:
            seconds = []
            for g in grads:
                if g is not None and g.requires_grad:
                    gg = jitgrad.autograd.grad(g.sum(), rg, allow_unused=True, retain_graph=True)
                    seconds.append([None if h is None else bits(h) for h in gg])
                else:
                    seconds.append(None)
            row.append(seconds)
    return row


SCALARS = [0.75, -1.5, 0.0, -0.0, math.inf, -math.inf, math.nan, 1e-40, 3.0e38]


# ----- where -------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("cond", [True, False])
@pytest.mark.parametrize("rg", ["both", "a", "b", "none"])
@pytest.mark.parametrize("av,bv", [(0.75, -1.5), (-0.0, 0.0), (math.nan, 2.0), (math.inf, -math.inf)])
def test_where_same_tape_values_and_gradients_as_general_path(dtype, cond, rg, av, bv):
    dt = getattr(jitgrad, dtype)

    def build():
        a = jitgrad.tensor(av, dtype=dt, requires_grad=rg in ("both", "a"))
        b = jitgrad.tensor(bv, dtype=dt, requires_grad=rg in ("both", "b"))
        c = jitgrad.tensor(cond)
        y = jitgrad.where(c, a * a if a.requires_grad else a, b)
        return summary(y, [a, b], create_graph=True)

    fast, general = both_paths(build)
    assert fast == general


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("number", [0.0, -0.0, 2, 0.1, math.inf, math.nan, -7])
@pytest.mark.parametrize("side", ["input", "other"])
@pytest.mark.parametrize("cond", [True, False])
def test_where_with_a_number_same_as_general_path_and_torch(dtype, number, side, cond):
    dt = getattr(jitgrad, dtype)

    def build():
        a = jitgrad.tensor(-0.625, dtype=dt, requires_grad=True)
        c = jitgrad.tensor(cond)
        y = jitgrad.where(c, a, number) if side == "input" else jitgrad.where(c, number, a)
        return summary(y, [a], create_graph=True)

    fast, general = both_paths(build)
    assert fast == general
    ta = torch.tensor(-0.625, dtype=getattr(torch, dtype), requires_grad=True)
    tc = torch.tensor(cond)
    ty = torch.where(tc, ta, number) if side == "input" else torch.where(tc, number, ta)
    ty.backward()
    a = jitgrad.tensor(-0.625, dtype=dt, requires_grad=True)
    y = jitgrad.where(jitgrad.tensor(cond), a, number) if side == "input" else \
        jitgrad.where(jitgrad.tensor(cond), number, a)
    y.backward()
    assert dname(y) == dname(ty)
    assert y.grad_fn.name() == ty.grad_fn.name()
    assert bits(y)[2] == ty.detach().numpy().tobytes() or (math.isnan(y.item()) and math.isnan(ty.item()))
    assert a.grad.numpy().tobytes() == ta.grad.numpy().tobytes()


@pytest.mark.parametrize("dtype", DTYPES)
def test_where_of_a_comparison_matches_torch_values_gradients_and_second_derivatives(dtype):
    for av, bv in [(0.3, 0.7), (0.7, 0.3), (-0.0, 0.0), (2.0, 2.0)]:
        outs = []
        for lib in (jitgrad, torch):
            a = lib.tensor(av, dtype=getattr(lib, dtype), requires_grad=True)
            b = lib.tensor(bv, dtype=getattr(lib, dtype), requires_grad=True)
            y = lib.where(a > b, a * a * a, b * a)
            ga, gb = lib.autograd.grad(y, (a, b), create_graph=True)
            gaa, = lib.autograd.grad(ga, a)
            outs.append((y.grad_fn.name(), repr(y.detach()).replace("jitgrad", "torch"), ga.item(), gb.item(),
                         gaa.item(), str(y.dtype).split(".")[-1]))
        assert outs[0] == outs[1]


def test_where_not_taken_keeps_general_errors_and_behaviour():
    a = jitgrad.tensor(1.0, dtype=jitgrad.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="where expected condition to be a boolean tensor"):
        jitgrad.where(jitgrad.tensor(1.0), a, a)
    # mixed dtypes promote as torch (the general path)
    y = jitgrad.where(jitgrad.tensor(True), a, jitgrad.tensor(2.0, dtype=jitgrad.float32))
    assert y.dtype == jitgrad.float64
    # under no_grad nothing is recorded
    with jitgrad.no_grad():
        y = jitgrad.where(jitgrad.tensor(False), a, 3.0)
    assert not y.requires_grad and y.item() == 3.0 and y.grad_fn is None


def test_where_float32_number_overflow_takes_the_general_path():
    """A finite number past float32's range: the general path, which raises
    torch's overflow error (torch makes the number a float32 tensor)."""
    a = jitgrad.tensor(1.0, dtype=jitgrad.float32, requires_grad=True)
    assert small_ops.where_scalars(jitgrad.tensor(False), a, 1e40) is None
    for lib in (torch, jitgrad):
        x = lib.tensor(1.0, dtype=lib.float32, requires_grad=True)
        with pytest.raises(RuntimeError, match="value cannot be converted to type float without overflow"):
            lib.where(lib.tensor(False), x, 1e40)


# ----- clamp -----------------------------------------------------------------------

CLAMP_CALLS = {
    "clamp(lo, hi)": lambda lib, x, lo, hi: lib.clamp(x, lo, hi),
    "clamp(min=lo)": lambda lib, x, lo, hi: lib.clamp(x, min=lo),
    "clamp(max=hi)": lambda lib, x, lo, hi: lib.clamp(x, max=hi),
    "x.clamp(lo, hi)": lambda lib, x, lo, hi: x.clamp(lo, hi),
    "x.clip(lo, hi)": lambda lib, x, lo, hi: x.clip(lo, hi),
    "clamp_min": lambda lib, x, lo, hi: lib.clamp_min(x, lo),
    "clamp_max": lambda lib, x, lo, hi: lib.clamp_max(x, hi),
    "x.clamp_min": lambda lib, x, lo, hi: x.clamp_min(lo),
}
BOUNDS = [(0, 1), (-0.5, 0.5), (0.0, 0.0), (-0.0, -0.0), (1.0, -1.0), (math.nan, 1.0), (-math.inf, math.inf),
          (-1, math.nan)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("call", list(CLAMP_CALLS))
@pytest.mark.parametrize("lo,hi", BOUNDS)
def test_clamp_same_as_general_path_and_torch(dtype, call, lo, hi):
    fn = CLAMP_CALLS[call]
    dt = getattr(jitgrad, dtype)
    for xv in SCALARS:
        def build():
            x = jitgrad.tensor(xv, dtype=dt, requires_grad=True)
            y = fn(jitgrad, x * 1.0, lo, hi)
            return summary(y, [x], create_graph=True)

        fast, general = both_paths(build)
        assert fast == general, xv
        x = jitgrad.tensor(xv, dtype=dt, requires_grad=True)
        y = fn(jitgrad, x, lo, hi)
        y.backward()
        tx = torch.tensor(xv, dtype=getattr(torch, dtype), requires_grad=True)
        ty = fn(torch, tx, lo, hi)
        ty.backward()
        assert y.grad_fn.name() == ty.grad_fn.name()
        assert dname(y) == dname(ty)
        if not math.isnan(ty.item()):
            assert bits(y)[2] == ty.detach().numpy().tobytes(), (xv, lo, hi)
        else:
            assert math.isnan(y.item())
        assert x.grad.item() == tx.grad.item()


def test_clamp_no_grad_and_non_float_inputs():
    x = jitgrad.tensor(2.5, requires_grad=True)
    with jitgrad.no_grad():
        y = x.clamp(0, 1)
    assert y.item() == 1.0 and not y.requires_grad
    assert jitgrad.clamp(jitgrad.tensor(5), 0, 3).item() == 3          # int: the general path
    assert jitgrad.clamp(jitgrad.tensor(5), 0, 3).dtype == jitgrad.int64
    assert jitgrad.clamp(jitgrad.tensor(5), 0.5, 3.5).dtype == jitgrad.float32
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
        jitgrad.clamp(x)
    with pytest.raises(TypeError, match="clamp_min"):
        jitgrad.clamp_min(x, None)
    with pytest.raises(TypeError):
        jitgrad.clamp(x, "a")


def test_clamp_float32_bound_past_float32_range_same_error_as_general_path():
    """A float32 bound past float32's range: torch's RuntimeError on both
    paths (the bound is cast to float32 first, checked)."""
    def build():
        x = jitgrad.tensor(1.0, dtype=jitgrad.float32, requires_grad=True)
        try:
            jitgrad.clamp(x, min=1e40)
        except RuntimeError as e:
            return type(e), str(e)
        return None
    fast, general = both_paths(build)
    assert fast == general
    with pytest.raises(RuntimeError) as want:
        torch.clamp(torch.tensor(1.0, requires_grad=True), min=1e40)
    assert fast == (RuntimeError, str(want.value))


# ----- max / min ---------------------------------------------------------------------

VECTORS = [[0.1, 0.5, -0.3, 0.9], [3.0], [-0.0, 0.0], [0.0, -0.0], [1.0, 1.0, 0.5], [math.nan, 1.0],
           [1.0, math.nan, math.nan], [-math.inf, -math.inf], [math.inf, -1.0], [2.0, -7.0, 2.5, 2.5, -7.0],
           [-1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0, -8.0], [0.5] * 9, [1e-45, -1e-45]]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("vals", VECTORS, ids=range(len(VECTORS)))
@pytest.mark.parametrize("kind", ["max", "min"])
@pytest.mark.parametrize("rg", [True, False])
def test_max_min_all_same_as_general_path_and_torch(dtype, vals, kind, rg):
    dt = getattr(jitgrad, dtype)

    def build():
        x = jitgrad.tensor(vals, dtype=dt, requires_grad=rg)
        y = getattr(x * 2.0 if rg else x, kind)()
        return summary(y, [x], create_graph=True)

    fast, general = both_paths(build)
    assert fast == general
    x = jitgrad.tensor(vals, dtype=dt, requires_grad=True)
    tx = torch.tensor(vals, dtype=getattr(torch, dtype), requires_grad=True)
    y, ty = getattr(x, kind)(), getattr(tx, kind)()
    assert y.grad_fn.name() == ty.grad_fn.name()
    if math.isnan(ty.item()):
        assert math.isnan(y.item())
    else:
        assert y.item() == ty.item() and math.copysign(1, y.item()) == math.copysign(1, ty.item())
    y.backward()
    ty.backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("vals", VECTORS, ids=range(len(VECTORS)))
@pytest.mark.parametrize("kind", ["max", "min"])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [0, -1])
def test_max_min_dim_same_as_general_path_and_torch(dtype, vals, kind, keepdim, dim):
    dt = getattr(jitgrad, dtype)

    def build():
        x = jitgrad.tensor(vals, dtype=dt, requires_grad=True)
        r = getattr(x * 2.0, kind)(dim, keepdim=keepdim)
        return summary(r.values, [x], create_graph=True) + [bits(r.indices), repr(r), type(r).__name__]

    fast, general = both_paths(build)
    assert fast == general
    x = jitgrad.tensor(vals, dtype=dt, requires_grad=True)
    tx = torch.tensor(vals, dtype=getattr(torch, dtype), requires_grad=True)
    r, tr = getattr(x, kind)(dim, keepdim), getattr(tx, kind)(dim, keepdim)
    assert repr(r).replace("jitgrad", "torch") == repr(tr)
    assert r.values.grad_fn.name() == tr.values.grad_fn.name()
    np.testing.assert_array_equal(r.indices.numpy(), tr.indices.numpy())
    assert r.indices.dtype == jitgrad.int64
    (r.values.sum() * 3).backward()
    (tr.values.sum() * 3).backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("vals", VECTORS + [[-3.0, -1.0, -2.0], [2.0, -0.0, 1.0]], ids=range(len(VECTORS) + 2))
@pytest.mark.parametrize("kind", ["amax", "amin"])
@pytest.mark.parametrize("dim", [(), 0, -1, None])
def test_amax_amin_same_as_general_path_and_torch(dtype, vals, kind, dim):
    dt = getattr(jitgrad, dtype)

    def call(lib, x):
        return getattr(lib, kind)(x) if dim is None else getattr(lib, kind)(x, dim)

    def build():
        x = jitgrad.tensor(vals, dtype=dt, requires_grad=True)
        return summary(call(jitgrad, x * 2.0), [x], create_graph=True)

    fast, general = both_paths(build)
    assert fast == general
    x = jitgrad.tensor(vals, dtype=dt, requires_grad=True)
    tx = torch.tensor(vals, dtype=getattr(torch, dtype), requires_grad=True)
    y, ty = call(jitgrad, x), call(torch, tx)
    assert y.grad_fn.name() == ty.grad_fn.name() and y.shape == ty.shape
    assert bits(y)[2] == ty.detach().numpy().tobytes() or math.isnan(ty.item()) and math.isnan(y.item())
    (y * -3.0).backward()
    (ty * -3.0).backward()
    a, b = x.grad.numpy(), tx.grad.numpy()
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(np.signbit(a[~np.isnan(a)]), np.signbit(b[~np.isnan(a)]))


def test_max_min_forms_and_errors_keep_the_general_path():
    x = jitgrad.tensor([1.0, 3.0, 2.0], requires_grad=True)
    assert jitgrad.max(x, 0).indices.item() == 1
    v, i = jitgrad.min(x, dim=0, keepdim=True)
    assert v.shape == (1,) and i.tolist() == [0]
    assert jitgrad.max(x, jitgrad.tensor([2.0, 2.0, 2.0])).tolist() == [2.0, 3.0, 2.0]
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.max(1)
    with pytest.raises(TypeError):
        x.max("a")
    with pytest.raises(RuntimeError, match="numel\\(\\) == 0"):
        jitgrad.tensor([]).max()
    # integer vectors: the general path (no gradient)
    assert jitgrad.tensor([3, 1, 2]).max().item() == 3
    assert jitgrad.tensor([3, 1, 2]).min(0).indices.item() == 1


def test_max_values_view_and_inplace_errors_match_general_path():
    def build():
        x = jitgrad.tensor([0.5, 2.0, -1.0], requires_grad=True)
        h = x * 1.0
        m = h.max()
        h.mul_(2.0)     # m's gather saved nothing, so backward still works
        m.backward()
        return bits(x.grad)
    fast, general = both_paths(build)
    assert fast == general


# ----- mean -----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("vals", VECTORS[:11], ids=range(11))
def test_mean_same_as_general_path_and_torch(dtype, vals):
    dt = getattr(jitgrad, dtype)

    def build():
        x = jitgrad.tensor(vals, dtype=dt, requires_grad=True)
        return summary((x * 1.5).mean(), [x], create_graph=True)

    fast, general = both_paths(build)
    assert fast == general
    x = jitgrad.tensor(vals, dtype=dt, requires_grad=True)
    tx = torch.tensor(vals, dtype=getattr(torch, dtype), requires_grad=True)
    y, ty = x.mean(), tx.mean()
    assert y.grad_fn.name() == ty.grad_fn.name()
    if not math.isnan(ty.item()):
        # (the general path multiplies the sum by 1 / n, torch divides by n:
        # one float32 rounding apart at most, kept identical in the fast path)
        assert math.isclose(y.item(), ty.item(), rel_tol=2 ** -22 if dtype == "float32" else 2 ** -51)
    y.backward()
    ty.backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("vals", VECTORS, ids=range(len(VECTORS)))
def test_sum_same_as_general_path_and_torch(dtype, vals):
    dt = getattr(jitgrad, dtype)

    def build():
        x = jitgrad.tensor(vals, dtype=dt, requires_grad=True)
        return summary((x * x).sum(), [x], create_graph=True)

    fast, general = both_paths(build)
    assert fast == general
    x = jitgrad.tensor(vals, dtype=dt, requires_grad=True)
    tx = torch.tensor(vals, dtype=getattr(torch, dtype), requires_grad=True)
    y, ty = (x * x).sum(), (tx * tx).sum()
    assert y.grad_fn.name() == ty.grad_fn.name()
    assert bits(y)[2] == ty.detach().numpy().tobytes() or math.isnan(ty.item()) and math.isnan(y.item())
    y.backward()
    ty.backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


def test_mean_random_small_vectors_bit_for_bit_as_general_path():
    rng = np.random.default_rng(5)
    for _ in range(200):
        n = int(rng.integers(1, 8))
        dt = [jitgrad.float32, jitgrad.float64][int(rng.integers(2))]
        vals = (rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4)).tolist()

        def build():
            x = jitgrad.tensor(vals, dtype=dt, requires_grad=True)
            y = x.mean()
            return bits(y), tape_of(y)
        fast, general = both_paths(build)
        assert fast == general


# ----- logsumexp ------------------------------------------------------------------------

LSE_VECTORS = [[0.1, 0.5, -0.3, 0.9], [3.0], [-0.0, 0.0], [0.0, -1.0], [math.nan, 1.0], [math.inf, 1.0],
               [-math.inf, -math.inf], [-math.inf, 2.0], [100.0, 100.0, 99.0], [-1e30, 5.0, 2.0, 3.0, 1.0, 0.5, 7.0],
               [88.0, 89.0], [1e-3, 2e-3, 3e-3, 4e-3, 5e-3, 6e-3, 7e-3, 8e-3]]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("vals", LSE_VECTORS, ids=range(len(LSE_VECTORS)))
@pytest.mark.parametrize("dim,keepdim", [(0, False), (-1, True), ((0,), False), ([-1], True)])
def test_logsumexp_same_as_general_path_and_torch(dtype, vals, dim, keepdim):
    dt = getattr(jitgrad, dtype)

    def build():
        x = jitgrad.tensor(vals, dtype=dt, requires_grad=True)
        y = jitgrad.logsumexp(x * 1.0, dim, keepdim=keepdim)
        return summary(y, [x], create_graph=True) + [y._view is not None]

    fast, general = both_paths(build)
    assert fast == general
    x = jitgrad.tensor(vals, dtype=dt, requires_grad=True)
    tx = torch.tensor(vals, dtype=getattr(torch, dtype), requires_grad=True)
    y, ty = x.logsumexp(dim, keepdim), tx.logsumexp(dim, keepdim)
    assert y.grad_fn.name() == ty.grad_fn.name() and y.shape == ty.shape
    tol = 1e-6 if dtype == "float32" else 1e-14
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=tol, atol=tol)
    y.sum().backward()
    ty.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=tol, atol=tol)


def test_logsumexp_second_derivative_matches_finite_differences():
    x = jitgrad.tensor([0.3, -1.2, 2.0, 0.5], dtype=jitgrad.float64, requires_grad=True)
    g, = jitgrad.autograd.grad(jitgrad.logsumexp(x, 0), x, create_graph=True)
    h, = jitgrad.autograd.grad(g[1], x)
    eps = 1e-6
    for j in range(4):
        up, dn = x.detach().clone(), x.detach().clone()
        up[j] += eps
        dn[j] -= eps
        sm = [np.exp(v.numpy() - np.log(np.exp(v.numpy()).sum()))[1] for v in (up, dn)]
        assert abs((sm[0] - sm[1]) / (2 * eps) - h[j].item()) < 1e-7


def test_logsumexp_no_grad_and_integer_input():
    x = jitgrad.tensor([1.0, 2.0], requires_grad=True)
    with jitgrad.no_grad():
        y = jitgrad.logsumexp(x, 0)
    assert not y.requires_grad and y.grad_fn is None
    assert abs(y.item() - math.log(math.e + math.e ** 2)) < 1e-6
    yi = jitgrad.logsumexp(jitgrad.tensor([1, 2]), 0)
    assert yi.dtype == jitgrad.float32 and yi.item() == torch.logsumexp(torch.tensor([1, 2]), 0).item()


# ----- the paths are taken, and not while compile records ---------------------------------

def test_fast_paths_are_taken(monkeypatch):
    """The comparisons above would hold trivially if no fast path ran."""
    calls = []
    for name in ("where_scalars", "clamp_scalar", "extreme_all", "extreme_dim", "mean_vector", "logsumexp_kept",
                 "sum_vector", "amax_vector"):
        def spy(*a, _orig=getattr(small_ops, name), _name=name, **k):
            r = _orig(*a, **k)
            calls.append((_name, r is not None))
            return r
        monkeypatch.setattr(small_ops, name, spy)
    a = jitgrad.tensor(0.5, requires_grad=True)
    v = jitgrad.tensor([0.5, 1.5, -2.0], requires_grad=True)
    jitgrad.where(a > 0.1, a, 0.0)
    a.clamp(0, 1)
    v.max()
    v.min(0)
    v.mean()
    v.logsumexp(0)
    v.sum()
    v.amax()
    assert calls == [("where_scalars", True), ("clamp_scalar", True), ("extreme_all", True),
                     ("extreme_dim", True), ("mean_vector", True), ("logsumexp_kept", True), ("sum_vector", True),
                     ("amax_vector", True)]


def test_compiled_function_with_fast_path_ops_replays_as_eager():
    def f(a, v):
        y = jitgrad.where(a > 0.0, a * 2.0, -a).clamp(-1.0, 1.5)
        return y * v.max() + v.min(0).values + v.mean() * v.logsumexp(0)

    cf = jitgrad.compile(f)
    for av, vv in [(0.5, [0.1, 0.7, -0.2]), (-0.4, [0.3, -0.9, 0.8]), (2.0, [5.0, 1.0, 2.0])]:
        outs = []
        for fn in (f, cf):
            a = jitgrad.tensor(av, requires_grad=True)
            v = jitgrad.tensor(vv, requires_grad=True)
            y = fn(a, v)
            y.backward()
            outs.append((bits(y), bits(a.grad), bits(v.grad)))
        assert outs[0] == outs[1]


def test_records_go_to_the_next_tape_near_the_tape_limit(monkeypatch):
    """Near a full tape the general path runs (it may switch tapes between
    its records); the gradient is the same."""
    monkeypatch.setattr(small_ops, "_NEAR_FULL", -1)
    a = jitgrad.tensor(0.5, requires_grad=True)
    assert small_ops.where_scalars(jitgrad.tensor(True), a, 1.0) is None
    y = jitgrad.where(jitgrad.tensor(True), a * 3.0, 1.0).clamp(0, 2) + jitgrad.stack([a, a * 2.0]).max()
    y.backward()
    assert a.grad.item() == 5.0


def test_float32_mean_is_numpy_rounding():
    x = jitgrad.tensor([0.1, 0.2, 0.7], dtype=jitgrad.float32)
    s = np.float32(0.1) + np.float32(0.2) + np.float32(0.7)
    expect = np.float32(s + np.float32(0.0)) * np.float32(1 / 3)
    assert struct.pack("f", x.mean().item()) == expect.tobytes()
    assert math.isclose(x.mean().item(), torch.tensor([0.1, 0.2, 0.7]).mean().item(), rel_tol=2 ** -22)


# ----- comparisons of 0-d tensors ------------------------------------------------------------

COMPARE_VALUES = [0.1, 0.30000001192092896, 0.3, -0.0, 0.0, 1.0, math.inf, -math.inf, math.nan, 1e-45, 3.5e38, 1e40,
                  16777217.0]


@pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning")   # (1e40 as float32)
@pytest.mark.parametrize("op", ["__gt__", "__lt__", "__ge__", "__le__", "__eq__", "__ne__"])
@pytest.mark.parametrize("dtypes", [("float32", "float32"), ("float64", "float64"), ("float32", "float64"),
                                    ("float64", "float32")])
def test_comparisons_of_0d_tensors_match_torch(op, dtypes):
    for xv in COMPARE_VALUES:
        for yv in COMPARE_VALUES:
            tx = torch.tensor(xv, dtype=getattr(torch, dtypes[0]))
            ty = torch.tensor(yv, dtype=getattr(torch, dtypes[1]))
            x = jitgrad.tensor(xv, dtype=getattr(jitgrad, dtypes[0]), requires_grad=True)
            y = jitgrad.tensor(yv, dtype=getattr(jitgrad, dtypes[1]))
            r, tr = getattr(x, op)(y), getattr(tx, op)(ty)
            assert r.dtype == jitgrad.bool and r.shape == () and not r.requires_grad
            assert r.item() is tr.item(), (xv, yv)
            # the same answer as the array path
            assert getattr(x.reshape(1), op)(y.reshape(1)).item() is r.item()


@pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning")
@pytest.mark.parametrize("op", ["__gt__", "__lt__", "__ge__", "__le__", "__eq__", "__ne__"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_comparisons_of_0d_tensor_and_python_float_match_torch(op, dtype):
    """torch casts the number to the tensor's dtype first: float32(0.1) == 0.1."""
    for xv in COMPARE_VALUES:
        for yv in COMPARE_VALUES:
            tx = torch.tensor(xv, dtype=getattr(torch, dtype))
            x = jitgrad.tensor(xv, dtype=getattr(jitgrad, dtype))
            r, tr = getattr(x, op)(yv), getattr(tx, op)(yv)
            assert r.item() is tr.item(), (xv, yv)
            assert getattr(x.reshape(1), op)(yv).item() is r.item()      # as the array path


def test_compiled_0d_float32_comparison_with_a_number_replays_as_eager_and_torch():
    def f(x):
        return jitgrad.where(x > 0.1, x * 2.0, x * 3.0)

    cf = jitgrad.compile(f)
    for xv in [0.1, 0.2, 0.05, 0.1, 0.30000001192092896, 0.1]:
        outs = []
        for fn in (f, cf):
            x = jitgrad.tensor(xv, requires_grad=True)
            y = fn(x)
            y.backward()
            outs.append((y.item(), x.grad.item()))
        tx = torch.tensor(xv, requires_grad=True)
        ty = torch.where(tx > 0.1, tx * 2.0, tx * 3.0)
        ty.backward()
        assert outs[0] == outs[1] == (ty.item(), tx.grad.item()), xv


# ----- small vector <op> small vector (tensors/scalar_ops._small_pair) ---------------------------

PAIR_OPS = [("__add__", "add", "AddBackward0"), ("__sub__", "sub", "SubBackward0"),
            ("__mul__", "mul", "MulBackward0"), ("__truediv__", "div", "DivBackward0")]
PAIRS = [([0.1, 0.5, -0.3, 0.9], [0.2, -0.5, 0.3, 0.4]), ([-0.0, 0.0], [0.0, -0.0]), ([1.0, 2.0], [0.0, -0.0]),
         ([math.inf, -math.inf, 1.0], [math.inf, math.inf, 0.0]), ([math.nan, 1.0], [2.0, math.nan]),
         ([3e38, 1e-45], [3e38, 1e-45]), ([7.0] * 8, [3.0] * 8), ([1.0] * 9, [2.0] * 9), ([1e308], [1e308])]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("pair", PAIRS, ids=range(len(PAIRS)))
@pytest.mark.parametrize("method,op,name", PAIR_OPS)
@pytest.mark.parametrize("rg", ["both", "x", "y", "same"])
def test_small_vector_pair_same_tape_as_general_path(dtype, pair, method, op, name, rg):
    from jitgrad.core import ops as O
    from jitgrad.tensors import arith
    dt = getattr(jitgrad, dtype)

    def build(fast):
        x0 = jitgrad.tensor(pair[0], dtype=dt, requires_grad=rg != "y")
        y0 = x0 if rg == "same" else jitgrad.tensor(pair[1], dtype=dt, requires_grad=rg in ("both", "y"))
        x, y = x0 * 1.0, (y0 * 1.0 if y0.requires_grad else y0)
        out = getattr(x, method)(y) if fast else arith._binary(O.BINARY[op], x, y, name)
        return summary(out, [x0, y0], create_graph=True)

    fresh_tape()
    with np.errstate(all="ignore"):
        general = build(False)
    fresh_tape()
    fast = build(True)
    assert fast == general


@pytest.mark.parametrize("method", ["__add__", "__sub__", "__mul__", "__truediv__"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_small_vector_pair_matches_torch(method, dtype):
    for xs, ys in PAIRS:
        outs = []
        for lib in (jitgrad, torch):
            x = lib.tensor(xs, dtype=getattr(lib, dtype), requires_grad=True)
            y = lib.tensor(ys, dtype=getattr(lib, dtype), requires_grad=True)
            with np.errstate(all="ignore"):
                out = getattr(x, method)(y)
            (out * lib.arange(1, len(xs) + 1, dtype=out.dtype)).sum().backward()
            outs.append([out.detach().numpy(), x.grad.numpy(), y.grad.numpy(), out.grad_fn.name()])
        np.testing.assert_array_equal(outs[0][0], outs[1][0])       # values: bit for bit
        np.testing.assert_array_equal(np.signbit(outs[0][0]), np.signbit(outs[1][0]))
        for a, b in zip(outs[0][1:3], outs[1][1:3]):
            # (the sweep computes a float32 division's gradient in float64,
            # torch in float32: an ulp apart, as on the general path; and
            # x / y**2 underflows where torch's x / y / y does not: 1e308 / 1e308)
            np.testing.assert_allclose(a, b, rtol=2e-7 if dtype == "float32" else 5e-16, atol=1e-300)
            np.testing.assert_array_equal(np.signbit(a[~np.isnan(a)]), np.signbit(b[~np.isnan(a)]))
        assert outs[0][3] == outs[1][3]


def test_small_vector_pair_no_grad_broadcast_and_errors_keep_general_path():
    x = jitgrad.tensor([1.0, 2.0], requires_grad=True)
    with jitgrad.no_grad():
        y = x * x
    assert not y.requires_grad and y.tolist() == [1.0, 4.0]
    assert (x * jitgrad.tensor([[1.0], [2.0]])).shape == (2, 2)          # broadcast: the general path
    assert (x * jitgrad.tensor([1.0, 2.0], dtype=jitgrad.float64)).dtype == jitgrad.float64
    with pytest.raises(RuntimeError, match="The size of tensor a \\(2\\) must match the size of tensor b \\(3\\)"):
        x * jitgrad.tensor([1.0, 2.0, 3.0])
    assert (x * jitgrad.tensor([1, 2])).dtype == jitgrad.float32


# ----- jitgrad.tensor of a few floats or 0-d tensors (tensors/scalar_ops.tensor_of_numbers) ----

TENSOR_DATA = [[0.5, 0.7], [-0.0, math.nan, math.inf, 1e-45], [0.1] * 16, [0.1] * 17, [1.0, 2], [1e40, 0.0], [3.0]]


@pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning")
@pytest.mark.parametrize("data", TENSOR_DATA, ids=range(len(TENSOR_DATA)))
@pytest.mark.parametrize("dtype", [None, "float32", "float64"])
@pytest.mark.parametrize("of_tensors", [False, True])
@pytest.mark.parametrize("rg", [False, True])
def test_tensor_of_numbers_same_as_general_path_and_torch(monkeypatch, data, dtype, of_tensors, rg):
    from jitgrad.tensors import construct

    def build(lib):
        items = [lib.tensor(v, dtype=lib.float64, requires_grad=True) * 1.0 for v in data] if of_tensors else data
        t = lib.tensor(items, dtype=None if dtype is None else getattr(lib, dtype), requires_grad=rg)
        return (dname(t), tuple(t.shape), t.detach().numpy().tobytes(), t.requires_grad, t.is_leaf,
                t.grad_fn is None)

    fast = build(jitgrad)
    monkeypatch.setattr(construct, "tensor_of_numbers", lambda *a: None)
    general = build(jitgrad)
    assert fast == general
    assert fast == build(torch)


def test_tensor_of_numbers_leaf_gets_gradients_and_keeps_errors():
    t = jitgrad.tensor([0.5, 0.25], requires_grad=True)
    (t * t).sum().backward()
    assert t.grad.tolist() == [1.0, 0.5]
    with pytest.raises(RuntimeError, match="Only Tensors of floating point"):
        jitgrad.tensor([0.5], dtype=jitgrad.int64, requires_grad=True)
    with pytest.raises(TypeError, match="argument 'dtype' must be torch.dtype"):
        jitgrad.tensor([0.5], dtype="float32")
    assert jitgrad.tensor([0.5, 1.5], dtype=jitgrad.int64).tolist() == [0, 1]
    a = jitgrad.tensor(2.0, requires_grad=True)
    b = jitgrad.tensor([a, a])          # values only, as torch
    assert not b.requires_grad and b.grad_fn is None


def test_comparisons_of_0d_integer_tensors_with_floats_keep_the_general_path():
    for xv, yv in [(3, 2.5), (2 ** 53 + 1, float(2 ** 53)), (-1, -0.5), (True, 0.5)]:
        x = jitgrad.tensor(xv)
        for op in ("__gt__", "__lt__", "__eq__", "__ge__"):
            assert getattr(x, op)(yv).item() is getattr(x.reshape(1), op)(yv).item()
