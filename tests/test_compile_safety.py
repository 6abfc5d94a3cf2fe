"""jitgrad.compile is never silently wrong: scenarios whose values a replay
can't simply repeat (shifted softmax inputs, random draws, non-differentiable
results, data-dependent positions, globals changed between calls, Python
scalars that change every call, changing shapes). Each runs under
jitgrad.compile for several calls with different inputs and is compared,
call by call, with eager jitgrad (same bits for values) and with torch
(values and gradients). Where the contract says the signature runs eagerly,
the one-time warning is asserted too.
"""
import warnings

import math

import numpy as np
import pytest
import torch

import jitgrad as jg
from jitgrad.func import value_and_grad as jg_value_and_grad

F64, F32 = "float64", "float32"


def same(a, b):
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


def close(a, b, dtype):
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    tol = 1e-5 if dtype == F32 else 1e-11
    return a.shape == b.shape and np.allclose(a, b, rtol=tol, atol=tol, equal_nan=True)


def _inputs(lib, arrays, dtype, rg):
    return [lib.tensor(np.array(a), dtype=getattr(lib, dtype), requires_grad=rg)
            if not isinstance(a, (int, float)) else a for a in arrays]


def _value(out):
    return np.asarray(out.detach().numpy() if hasattr(out, "detach") else out, np.float64)


def _run(lib, fn, arrays, dtype, rg):
    xs = _inputs(lib, arrays, dtype, rg)
    out = fn(lib, *xs)
    grads = None
    if rg and out.requires_grad:
        (out.sum() if out.ndim else out).backward()
        grads = [x.grad for x in xs if not isinstance(x, (int, float))]
        grads = [None if g is None else g.numpy().astype(np.float64) for g in grads]
    return out, grads


def scenario(fn, calls, dtype=F64, rg=True, exact_grad=True, with_torch=True, cf=None, torch_rg=True):
    """Run fn(lib, *args) eagerly (jitgrad, torch) and compiled for every
    argument list in `calls`; compare each call. Returns the compiled function."""
    cf = cf or jg.compile(lambda *a: fn(jg, *a))
    for arrays in calls:
        want, want_g = _run(jg, fn, arrays, dtype, rg)
        got, got_g = _run(jg, lambda lib, *a: cf(*a), arrays, dtype, rg)
        assert got.dtype == want.dtype and tuple(got.shape) == tuple(want.shape)
        assert same(_value(got), _value(want)), (arrays, got, want)
        assert got.requires_grad == want.requires_grad
        if want_g is not None:
            for g1, g2 in zip(got_g, want_g):
                assert (g1 is None) == (g2 is None)
                if g1 is not None:
                    assert same(g1, g2) if exact_grad else close(g1, g2, dtype), (arrays, g1, g2)
        if with_torch:
            ref, ref_g = _run(torch, fn, arrays, dtype, rg and torch_rg)
            assert close(_value(got), _value(ref), dtype), (arrays, got, ref)
            assert str(got.dtype).split(".")[1] == str(ref.dtype).split(".")[1]
            if ref_g is not None:
                for g1, g2 in zip(got_g, ref_g):
                    if g2 is not None:
                        assert g1 is not None and close(g1, g2, dtype), (arrays, g1, g2)
    return cf


SHIFTED = [[0.0, 1.0, 2.0], [100.0, 101.0, 99.0], [-50.0, 3.0, 7.0], [1e3, -1e3, 0.5]]


# ----- the softmax family under shifted inputs: recomputed, replayed --------------

@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_softmax_family_shifted_inputs_replay(name, dtype):
    def fn(lib, x):
        if name == "logsumexp":
            return lib.logsumexp(x * 1.5, 0)
        return getattr(lib, name)(x * 1.5, 0) * lib.tensor([1.0, 2.0, 3.0], dtype=x.dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no eager fallback, no warning
        cf = scenario(fn, [[v] for v in SHIFTED] + [[SHIFTED[1]]], dtype)
    assert cf.replays >= 1 and cf.eager_calls == 0


def test_softmax_matrix_and_cross_entropy_replay():
    def fn(lib, x, tgt_shift):
        t = lib.tensor([2, 0, 1])
        return lib.nn.functional.cross_entropy(x + tgt_shift, t) + lib.softmax(x, 1)[:, 0].sum()
    rng = np.random.default_rng(0)
    calls = [[rng.normal(size=(3, 4)) * s + s, 0.0] for s in (1.0, 50.0, 300.0)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cf = scenario(fn, calls)
    assert cf.eager_calls == 0


def test_softmax_through_value_and_grad_and_batch():
    def f(x):
        return jg.logsumexp(x, 0) + jg.softmax(x, 0)[0]
    vg = jg.compile(jg_value_and_grad(f))
    X = np.array(SHIFTED)
    for row in X:
        v, g = vg(jg.tensor(row))
        x = jg.tensor(row, requires_grad=True)
        ve = f(x)
        ve.backward()
        assert same(v.numpy(), ve.detach().numpy())
        assert same(g.numpy(), x.grad.numpy())
        xt = torch.tensor(row, requires_grad=True)
        vt = torch.logsumexp(xt, 0) + torch.softmax(xt, 0)[0]
        vt.backward()
        assert close(v.numpy(), vt.detach().numpy(), F64) and close(g.numpy(), xt.grad.numpy(), F64)
    vb, gb = vg.batch(jg.tensor(X))
    for k, row in enumerate(X):
        xt = torch.tensor(row, requires_grad=True)
        vt = torch.logsumexp(xt, 0) + torch.softmax(xt, 0)[0]
        vt.backward()
        assert close(vb.numpy()[k], vt.detach().numpy(), F64) and close(gb.numpy()[k], xt.grad.numpy(), F64)
    cf = jg.compile(f)
    vals = cf.batch(jg.tensor(X))
    assert same(vals.numpy(), [f(jg.tensor(r)).item() for r in X])


# ----- random draws: fresh numbers each call, as eager ----------------------------

@pytest.mark.parametrize("draw", ["randn", "rand", "dropout"])
def test_random_draws_are_fresh_each_call(draw):
    """Draws replay fresh from jitgrad's generator (tests/test_compile_random.py):
    each call gives the bits an uncompiled call gives from the same seed."""
    def f(x):
        if draw == "dropout":
            return jg.nn.functional.dropout(x, 0.5) * 2.0
        return x * getattr(jg, draw)(4, dtype=jg.float64)
    cf = jg.compile(f)
    x = jg.tensor([1.0, 2.0, 3.0, 4.0], dtype=jg.float64, requires_grad=True)
    outs = []
    for call in range(3):
        jg.manual_seed(call)
        want = f(x).detach().numpy()
        jg.manual_seed(call)
        got = cf(x)
        assert same(got.detach().numpy(), want)
        outs.append(got.detach().numpy())
    assert not same(outs[0], outs[1]) and not same(outs[1], outs[2])
    assert cf.eager_calls == 0 and cf.replays == 2


# ----- results off the tape: //, %, casts, detach, masks ---------------------------

CALLS = [[[0.5, 1.5, -2.5]], [[3.25, -0.75, 2.0]], [[-1.5, 4.5, 0.25]]]


def test_floordiv_runs_eagerly():
    def fn(lib, x):
        k = (x // 1.0).detach()     # (torch's k requires grad, its backward raises: a constant here)
        return x * k + k
    # (torch has no derivative for floor_divide: compared with torch by value)
    with pytest.warns(RuntimeWarning, match="runs eagerly.*floor_divide"):
        cf = scenario(fn, CALLS, torch_rg=False)
    assert cf.eager_calls == len(CALLS) and cf.replays == 0


def test_mod_is_recorded_and_replays():
    """`x % c` is the op table's remainder: recorded, replayed, torch's gradient."""
    def fn(lib, x):
        k = x % 1.0
        return x * k + k
    cf = scenario(fn, CALLS)
    assert cf.eager_calls == 0 and cf.replays == len(CALLS) - 1


def test_detach_replays():
    """A detach() is a no-gradient record: recomputed at replay (it was a frozen value)."""
    fn = lambda lib, x: x * x.detach() + x.detach().sum()          # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cf = scenario(fn, CALLS)
    assert cf.records == 1 and cf.replays == len(CALLS) - 1 and cf.eager_calls == 0, cf.report()


def test_numpy_of_a_detached_value_is_a_guard():
    fn = lambda lib, x: x * lib.tensor(x.detach().numpy() ** 2)     # noqa: E731
    cf = scenario(fn, CALLS + [CALLS[0]])
    assert cf.replays == 1 and cf.eager_calls == 0, cf.report()     # (the repeated values replay)


@pytest.mark.parametrize("cast", ["long", "int", "bool"])
def test_casts_are_guarded(cast):
    fn = lambda lib, x: x * getattr(x * 1.3, cast)()                # noqa: E731
    cf = scenario(fn, CALLS + [CALLS[0], [[0.55, 1.45, -2.45]]])
    assert cf.eager_calls == 0 and cf.replays >= 2      # [0.55, ...] * 1.3 truncates as [0.5, ...]: a replay


def test_comparison_masks_and_where():
    def fn(lib, x):
        return lib.where(x > 0, x, x * 0.1) + x * (x < 1).to(x.dtype) + (x * (x >= 0.5)).sum()
    cf = scenario(fn, CALLS + [[[0.75, 1.25, -3.0]]])
    assert cf.eager_calls == 0


@pytest.mark.parametrize("which", ["isnan", "isfinite", "nan_to_num"])
def test_nan_masks_are_guarded(which):
    def fn(lib, x):
        y = x * 2.0
        if which == "nan_to_num":
            return lib.nan_to_num(y, nan=0.5, posinf=9.0, neginf=-9.0)
        m = getattr(lib, which)(y)
        return lib.where(m, lib.zeros_like(y), y) if which == "isnan" else lib.where(m, y, lib.ones_like(y))
    calls = [[[1.0, 2.0, 3.0]], [[np.nan, 2.0, 3.0]], [[1.0, np.inf, 3.0]], [[4.0, 5.0, 6.0]], [[1.0, 2.0, -np.inf]]]
    cf = scenario(fn, calls)
    # (nan_to_num of non-finite values: torch's gradient grad * isfinite(x) is a product whose value
    # jitgrad's record doesn't recompute, so those signatures run eagerly: eager's bits)
    assert cf.eager_calls == (3 if which == "nan_to_num" else 0)


def test_unique_runs_eagerly():
    # (detached: unique's values have no derivative, a backward through them raises, as torch's)
    fn = lambda lib, x: x * lib.unique((x * 0 + lib.round(x)).detach()).sum()  # noqa: E731
    with pytest.warns(RuntimeWarning, match="unique"):
        scenario(fn, [[[1.0, 1.2, 3.0]], [[1.0, 2.0, 3.0]], [[5.0, 5.1, 4.9]]], torch_rg=False)


# ----- positions chosen by value: guarded ----------------------------------------

POS_CALLS = [[[3.0, 1.0, 2.0, 0.5]], [[0.1, 1.0, 2.0, 5.0]], [[2.0, 2.0, 1.0, 0.0]], [[3.5, 1.5, 2.5, 1.0]]]


@pytest.mark.parametrize("which", ["sort", "sort_desc", "argsort", "topk", "max_dim", "argmax", "amax"])
def test_positions_are_guarded(which):
    def fn(lib, x):
        w = lib.tensor([1.0, 2.0, 3.0, 4.0], dtype=x.dtype)
        if which == "sort":
            return lib.sort(x).values * w + lib.sort(x).indices
        if which == "sort_desc":
            return lib.sort(x, descending=True).values * w
        if which == "argsort":
            return x[lib.argsort(x)] * w
        if which == "topk":
            return lib.topk(x, 2).values * w[:2] + lib.topk(x, 2).indices
        if which == "max_dim":
            r = x.reshape(2, 2).max(1)
            return r.values * 3.0 + x[r.indices]
        if which == "argmax":
            return x * x[lib.argmax(x)]
        return x.amax() * x
    calls = POS_CALLS + [POS_CALLS[0], [[3.0, 1.5, 2.5, 0.25]]]
    if which == "topk":     # (torch's topk orders ties its own way)
        calls = [c for c in calls if len(set(c[0])) == 4]
    cf = scenario(fn, calls)
    assert cf.eager_calls == 0 and cf.replays >= 1


def test_float_tensor_used_as_index():
    fn = lambda lib, x: x[(x[0] * 0.5).long()] * x                  # noqa: E731
    cf = scenario(fn, [[[1.0, 5.0, 7.0]], [[2.5, 5.0, 7.0]], [[4.0, 5.0, 7.0]], [[1.5, 6.0, 8.0]]])
    assert cf.eager_calls == 0


# ----- the world outside the arguments: globals, closures --------------------------

G = jg.tensor([1.0, 2.0, 3.0])
G_SCALE = 2.0


def _uses_global(x):
    return (x * G).sum() * G_SCALE


def test_global_tensor_changed_in_place_or_rebound():
    global G, G_SCALE
    cf = jg.compile(_uses_global)
    x = jg.tensor([1.0, 1.0, 1.0], requires_grad=True)
    for step in range(4):
        assert same(cf(x).detach().numpy(), _uses_global(x).detach().numpy())
        if step == 0:
            G.mul_(2.0)                     # in place
        elif step == 1:
            G = jg.tensor([-1.0, 0.5, 4.0])    # rebound
        else:
            G_SCALE += 1.0                   # a Python scalar global
    assert cf.records == 4


def test_closure_tensor_changed_in_place_rebound_and_leaf_updated():
    W = jg.tensor([1.0, -2.0])
    P = jg.tensor([0.5, 0.25], requires_grad=True)

    def f(x):
        return (x * W + P * x).sum()
    cf = jg.compile(f)
    x = jg.tensor([3.0, 4.0], requires_grad=True)
    for step in range(5):
        got, want = cf(x), f(x)
        assert same(got.detach().numpy(), want.detach().numpy())
        gp = jg.autograd.grad(got, P)[0]
        assert same(gp.numpy(), jg.autograd.grad(f(x), P)[0].numpy())
        if step == 0:
            W.add_(1.0)
        elif step == 1:
            W = jg.tensor([7.0, 8.0])       # noqa: F841  (the closure cell is rebound)
        elif step == 2:
            with jg.no_grad():
                P.sub_(0.1)                  # a parameter update: re-read at replay, no re-record
    assert cf.records == 3 and cf.replays == 2


def test_function_writing_a_global_in_place_runs_eagerly():
    buf = jg.zeros(2)

    def f(x):
        buf.add_(1.0)
        return x * buf
    cf = jg.compile(f)
    x = jg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(RuntimeWarning, match="in-place write"):
        cf(x)
    cf(x)
    assert buf.tolist() == [2.0, 2.0]      # once per call, as uncompiled (the recording's write is undone)


def test_no_grad_block_runs_eagerly():
    def fn(lib, x):
        with lib.no_grad():
            s = (x * 2).sum()
        return x * s
    with pytest.warns(RuntimeWarning, match="no_grad"):
        scenario(fn, CALLS)


# ----- values read by Python: guards ---------------------------------------------

@pytest.mark.parametrize("read", ["item", "float", "tolist", "bool"])
def test_python_reads_are_guarded(read):
    def fn(lib, x):
        s = x.sum()
        if read == "item":
            return x * s.item()
        if read == "float":
            return x * float(s)
        if read == "tolist":
            return x * sum(x.tolist())
        return x * 2.0 if s > 0 else x * 3.0
    cf = scenario(fn, CALLS + [CALLS[0]])
    assert cf.eager_calls == 0 and cf.replays >= 1


# ----- Python scalars that change every call; changing shapes ---------------------

def test_number_argument_bounded_cache_and_warning():
    # math.exp reads the number itself: one tape per value (float_args.py),
    # kept in a bounded LRU, with one warning that says why.
    def fn(lib, w, lr):
        return w - math.exp(lr) * w ** 2
    cf = jg.compile(lambda w, lr: fn(jg, w, lr), cache_size=4)
    w0 = np.array([0.5, -1.0])
    with pytest.warns(RuntimeWarning, match=r"recorded for 16 signatures.*cache_size.*a guard on the float"):
        for k in range(20):
            lr = 0.01 * (k + 1)
            scenario(fn, [[w0, lr]], cf=cf)
    assert len(cf._cache) == 4 and cf.evictions == 16
    scenario(fn, [[w0, 0.2]], cf=cf)           # still cached: replayed
    assert cf.replays == 1


def test_changing_shapes():
    fn = lambda lib, x: lib.softmax(x, -1).sum(0) * lib.logsumexp(x, -1).sum()   # noqa: E731
    rng = np.random.default_rng(3)
    calls = [[rng.normal(size=s) * 10] for s in [(2, 3), (4, 3), (2, 5), (1, 1)]]
    calls.insert(3, calls[0])
    cf = scenario(fn, calls)
    assert cf.records == 4 and cf.replays == 1


def test_cache_size_must_be_positive():
    with pytest.raises(ValueError, match="cache_size"):
        jg.compile(lambda x: x, cache_size=0)


# ----- library functions that look at values internally ----------------------------

def test_library_internal_value_checks_are_guarded():
    def fn(lib, x):
        F = lib.nn.functional
        p = lib.sigmoid(x)
        return (F.binary_cross_entropy(p, lib.tensor([0.0, 1.0, 1.0], dtype=x.dtype))
                + F.cosine_similarity(x.reshape(1, 3), (x * x).reshape(1, 3)).sum())
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        cf = scenario(fn, CALLS + [[[0.75, 0.25, 1.25]], CALLS[1], [[0.0, 1.0, 2.0]]])
    assert cf.eager_calls == 0 and cf.replays >= 1


def test_clamp_with_tensor_bounds():
    def fn(lib, x):
        lo = lib.tensor([-1.0, 0.0, 0.5], dtype=x.dtype)
        return lib.clamp(x, lo, lo + 1.0) * x
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # (its routes record replays eagerly)
        scenario(fn, CALLS + [[[0.75, 0.25, 1.25]], CALLS[1]])


def test_tensor_of_tensor_values_runs_eagerly():
    fn = lambda lib, x: x * lib.tensor([float(v) * 0 + 1 for v in x]).sum() + lib.stack([x[1], x[0], x[2]])  # noqa: E731
    scenario(fn, CALLS)                              # float(v) is a guard
    with pytest.warns(RuntimeWarning, match=r"tensor\(\) of tensor values"):
        cf = jg.compile(lambda x: x * jg.tensor([x[0], x[1], x[2]]))
        for arrays in CALLS:
            x = jg.tensor(arrays[0], requires_grad=True)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                assert same(cf(x).detach().numpy(), (x * jg.tensor(arrays[0])).detach().numpy())


class _Model:
    def __init__(self):
        self.W = jg.tensor([[1.0, 2.0], [3.0, 4.0]])
        self.scale = 0.5

    def __call__(self, x):
        return (self.W @ x).sum() * self.scale


def test_object_attributes_are_checked():
    model = _Model()
    cf = jg.compile(model)
    x = jg.tensor([1.0, -1.0], requires_grad=True)
    for step in range(4):
        assert same(cf(x).detach().numpy(), model(x).detach().numpy())
        if step == 0:
            model.W.mul_(3.0)
        elif step == 1:
            model.scale = 2.0
    assert cf.records == 3 and cf.replays == 1


def test_arguments_that_do_not_require_grad_look_so_while_recording():
    def f(x, w):
        if x.requires_grad or (x * 2).requires_grad or not (x * w).requires_grad:
            return x * w * 100.0                   # not taken in eager mode
        return x * w + float(x.sum()) + jg.tensor((x * 2).numpy()).sum()
    cf = jg.compile(f)
    w = jg.tensor([3.0, 4.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")               # no "requires_grad=True to a scalar" warning either
        for v in ([1.0, 2.0], [1.0, 2.0], [5.0, 6.0]):
            x = jg.tensor(v)
            got, want = cf(x, w), f(x, w)
            assert same(got.detach().numpy(), want.detach().numpy())
            assert same(jg.autograd.grad(got.sum(), w)[0].numpy(), jg.autograd.grad(want.sum(), w)[0].numpy())
    assert cf.replays == 1 and cf.records == 2        # numpy() and float() are guards


def test_batch_sees_changed_globals():
    scale = jg.tensor([1.0, 2.0], dtype=jg.float64)

    def f(x):
        return (x * scale).sum() + jg.logsumexp(x, 0)
    vg = jg.compile(jg_value_and_grad(f))
    X = jg.tensor([[0.5, 1.0], [100.0, -3.0]], dtype=jg.float64)
    for step in range(2):
        vb, gb = vg.batch(X)
        for k in range(2):
            x = X[k].detach().requires_grad_(True)
            v = f(x)
            v.backward()
            assert same(vb.numpy()[k], v.detach().numpy()) and close(gb.numpy()[k], x.grad.numpy(), F64)
        scale.mul_(3.0)


def test_numpy_array_in_a_closure_changed_in_place():
    A = np.array([1.0, 2.0, 3.0])
    f = lambda x: x * jg.tensor(A)                  # noqa: E731
    cf = jg.compile(f)
    x = jg.tensor([1.0, 1.0, 1.0], requires_grad=True)
    for step in range(3):
        assert same(cf(x).detach().numpy(), f(x).detach().numpy())
        if step == 0:
            A *= 2.0
    assert cf.records == 2 and cf.replays == 1


def test_in_place_writes_happen_once_per_call_when_a_signature_runs_eagerly():
    """A BatchNorm in train mode updates its running statistics under no_grad:
    the signature runs eagerly, and the recording call's writes are undone so
    that each call updates them once (as an uncompiled call would)."""
    x0 = np.random.default_rng(3).standard_normal((8, 3))
    bn, bn_eager = jg.nn.BatchNorm1d(3), jg.nn.BatchNorm1d(3)
    f = jg.compile(lambda x: bn(x))
    with pytest.warns(RuntimeWarning, match="runs eagerly"):
        f(jg.tensor(x0, dtype=jg.float32))
    bn_eager(jg.tensor(x0, dtype=jg.float32))
    for k in range(2):
        f(jg.tensor(x0 * (k + 2), dtype=jg.float32))
        bn_eager(jg.tensor(x0 * (k + 2), dtype=jg.float32))
    assert int(bn.num_batches_tracked) == int(bn_eager.num_batches_tracked) == 3
    np.testing.assert_array_equal(bn.running_mean.numpy(), bn_eager.running_mean.numpy())
    np.testing.assert_array_equal(bn.running_var.numpy(), bn_eager.running_var.numpy())


def test_module_state_is_read_at_replay():
    """A compiled nn.Module (or a function calling one) sees its buffers and
    frozen parameters changed in place, and train()/eval() switches: never
    the recorded values."""
    x = jg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    bn = jg.nn.BatchNorm1d(2)
    bn.eval()
    f = jg.compile(bn)
    lin = jg.nn.Linear(2, 1)
    lin.requires_grad_(False)
    g = jg.compile(lambda v: lin(v).sum())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # BatchNorm in train mode runs eagerly (no_grad block)
        for step in range(3):
            np.testing.assert_array_equal(f(x).detach().numpy(), bn(x).detach().numpy())
            np.testing.assert_array_equal(g(x).detach().numpy(), lin(x).sum().detach().numpy())
            with jg.no_grad():
                bn.running_mean.add_(1.0)
                lin.weight.mul_(2.0)
        bn.train()
        np.testing.assert_array_equal(f(x).detach().numpy(), bn(x).detach().numpy())


SCALE = [2.0]
TABLE = {"k": 2.0, "nested": [[0.5]]}
WEIGHTS = [jg.tensor([1.0, 2.0])]


def test_values_in_lists_and_dicts_are_checked():
    """Numbers and tensors a function reads out of lists, tuples and dicts
    (globals and closures) are checked per replay, as attributes are: a
    changed value re-records, never a frozen constant."""
    x = jg.tensor([1.0, 3.0])
    box = [2.0]
    fns = {
        "global list": (lambda v: v * SCALE[0], lambda: SCALE.__setitem__(0, 3.0)),
        "closure list": (lambda v: v * box[0], lambda: box.__setitem__(0, 3.0)),
        "global dict": (lambda v: v * TABLE["k"], lambda: TABLE.__setitem__("k", 3.0)),
        "nested": (lambda v: v * TABLE["nested"][0][0], lambda: TABLE["nested"][0].__setitem__(0, 1.5)),
        "tensor in a list": (lambda v: v * WEIGHTS[0], lambda: WEIGHTS[0].mul_(3)),
    }
    for name, (f, change) in fns.items():
        cf = jg.compile(f)
        assert cf(x).tolist() == f(x).tolist(), name
        assert cf(x).tolist() == f(x).tolist(), name
        change()
        assert cf(x).tolist() == f(x).tolist(), name


COEFS = [1.0, 2.0]
PAIR = (1.0, 2.0)
LONG = [0.5] * 300
OPTS = {"a": 1.0}


def test_containers_grown_rebound_or_long_are_checked():
    """A list appended to, a global tuple or list rebound, a dict gaining a
    key, an item past the first 256 of a list: each re-records (they were
    replayed with the recorded values)."""
    global PAIR, COEFS
    x = jg.tensor([1.0, 3.0])

    def defaults(v, extra=[1.0]):           # noqa: B006  (a mutable default, on purpose)
        return v * sum(extra)
    fns = {
        "appended": (lambda v: v * sum(COEFS), lambda: COEFS.append(3.0)),
        "tuple rebound": (lambda v: v * PAIR[0] + PAIR[1], lambda: globals().__setitem__("PAIR", (5.0, 6.0))),
        "list rebound": (lambda v: v * COEFS[0], lambda: globals().__setitem__("COEFS", [4.0])),
        "dict key added": (lambda v: v * sum(OPTS.values()), lambda: OPTS.__setitem__("b", 2.0)),
        "long list": (lambda v: v * sum(LONG), lambda: LONG.__setitem__(299, 7.0)),
        "mutable default": (defaults, lambda: defaults.__defaults__[0].append(2.0)),
    }
    for name, (f, change) in fns.items():
        cf = jg.compile(f)
        assert cf(x).tolist() == f(x).tolist(), name
        assert cf(x).tolist() == f(x).tolist(), name
        change()
        assert cf(x).tolist() == f(x).tolist(), name


class Config:
    beta = 2.0
    table = [1.0]


class Scaler:
    alpha = 0.5          # a class attribute read through instances

    def __call__(self, v):
        return v * self.alpha


def test_class_attributes_are_checked():
    """A config class's attributes, and class attributes read through an
    instance (changed on the class, or shadowed on the instance), re-record."""
    x = jg.tensor([1.0, 3.0])
    s = Scaler()
    fns = {
        "config class": (lambda v: v * Config.beta, lambda: setattr(Config, "beta", 3.0)),
        "config list": (lambda v: v * Config.table[0], lambda: Config.table.__setitem__(0, 4.0)),
        "class attr via instance": (lambda v: s(v), lambda: setattr(Scaler, "alpha", 0.75)),
        "shadowed on the instance": (lambda v: s(v), lambda: setattr(s, "alpha", 1.25)),
    }
    for name, (f, change) in fns.items():
        cf = jg.compile(f)
        assert cf(x).tolist() == f(x).tolist(), name
        assert cf(x).tolist() == f(x).tolist(), name
        change()
        assert cf(x).tolist() == f(x).tolist(), name


def test_compile_of_a_module_is_torch_s_optimized_module():
    """torch.compile(model) as users write it: a Module holding the model as
    _orig_mod (its parameters, state_dict keys, repr), its attributes read
    through, training through it following eager training."""
    import torch
    out = []
    for lib in (torch, jg):
        lib.manual_seed(0)
        model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Dropout(0.0), lib.nn.Linear(4, 1))
        cm = lib.compile(model)
        x, y = lib.tensor(np.linspace(-1, 1, 15).reshape(5, 3)), lib.tensor(np.linspace(0, 1, 5).reshape(5, 1))
        opt = lib.optim.SGD(cm.parameters(), lr=0.1)
        losses = []
        for _ in range(4):
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(cm(x.float()), y.float())
            loss.backward()
            opt.step()
            losses.append(loss.item())
        cm.eval()
        out.append((type(cm).__name__, isinstance(cm, lib.nn.Module), cm._orig_mod is model,
                    [p is q for p, q in zip(cm.parameters(), model.parameters())], list(cm.state_dict()),
                    repr(cm), len(cm), lib.compile(lib.nn.Linear(2, 1)).in_features, model.training, losses))
    assert out[1][:-1] == out[0][:-1]
    np.testing.assert_allclose(out[1][-1], out[0][-1], rtol=1e-5)


def test_module_compile_in_place_as_torch():
    """model.compile() (torch 2.2+): the module stays itself, its calls are
    recorded once and replayed, training follows eager training."""
    import torch
    out = []
    for lib in (torch, jg):
        lib.manual_seed(0)
        model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 1))
        assert model.compile() is None
        x, y = lib.tensor(np.linspace(-1, 1, 15).reshape(5, 3)).float(), lib.tensor(np.linspace(0, 1, 5)).float()
        opt = lib.optim.SGD(model.parameters(), lr=0.1)
        losses = []
        for _ in range(4):
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(model(x).squeeze(1), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        out.append((type(model).__name__, list(model.state_dict()), repr(model), losses))
    assert out[1][:-1] == out[0][:-1]
    np.testing.assert_allclose(out[1][-1], out[0][-1], rtol=1e-5)
    assert model.__dict__["_compiled_call_impl"].replays == 3


def test_function_sweeping_the_callers_tape_leaves_it_usable():
    # vjp_fn differentiates a graph recorded before compile: recording it
    # seals that tape (a backward through it), and later ops of the caller
    # open a new one (they appended to the sealed tape: BufferError).
    x = jg.tensor(np.linspace(0.5, -0.5, 4), requires_grad=True)
    _, vjp_fn = jg.func.vjp(lambda v: v.tanh() * 2, x)
    cf = jg.compile(vjp_fn)
    rows = jg.eye(4, dtype=jg.float64)
    for k in range(4):
        got, want = cf(rows[k])[0], vjp_fn(rows[k])[0]
        assert same(got.detach().numpy(), want.detach().numpy())
    w = (x * 3).sum()
    w.backward()
    assert x.grad.tolist() == [3.0] * 4
    xt = torch.tensor(np.linspace(0.5, -0.5, 4), requires_grad=True)
    jac = torch.func.jacrev(lambda v: v.tanh() * 2)(xt)
    np.testing.assert_allclose(jg.func.vmap(vjp_fn)(rows)[0].detach().numpy(), jac.detach().numpy(), rtol=1e-14)


def test_signed_zero_float_arguments_and_globals_are_different_values():
    # 0.0 == -0.0 and they hash alike: a signature or guard comparing floats
    # by value replayed the tape recorded at 0.0 for -0.0 (clamp(max=s) then
    # gave +0.0 where eager gives -0.0). Floats are keyed by their bits.
    f = jg.compile(lambda x, s: -x.clamp(max=s))
    x = jg.tensor([float("inf"), -0.8, 0.25])
    for s in (0.0, -0.0, 0.0, -0.0):
        got, want = f(x, s), -x.clamp(max=s)
        assert got.numpy().tobytes() == want.numpy().tobytes(), (s, got, want)
    g = jg.compile(lambda x: x.clamp(max=LIMIT[0]) * 1.0)
    for v in (0.0, -0.0):
        LIMIT[0] = v
        assert g(x).numpy().tobytes() == (x.clamp(max=v) * 1.0).numpy().tobytes(), v
    calls = f.report()
    for v in (float("nan"), float("nan")):       # (a NaN argument replays: its bits are its key)
        f(x, v)
    assert "0 eager" in f.report(), (calls, f.report())


LIMIT = [0.0]
