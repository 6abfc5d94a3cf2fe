"""Run the same autograd code against PyTorch and jitgrad and compare.

A *case* is a function ``fn(lib, *leaves)`` written once against the PyTorch
API; `check` builds the leaves from NumPy arrays in both libraries, runs the
case, backpropagates the same random weights from every float output that
requires grad, and compares values, dtypes, shapes, grad_fn names and leaf
gradients.  Finite differences (`fd_check`) need no torch.
"""
import numpy as np

import jitgrad

# torch.testing.assert_close's default tolerances.
TOL = {"float32": (1.3e-6, 1e-5), "float64": (1e-7, 1e-7)}


def dtype_name(t):
    return str(t.dtype).rsplit(".", 1)[-1]


def leaves(lib, arrays, dtype, requires_grad=True):
    """Tensors of `lib` holding `arrays` (None passes through), leaves of the graph."""
    dt = getattr(lib, dtype)
    rg = requires_grad and dtype.startswith("float")
    return [None if a is None else lib.tensor(np.asarray(a), dtype=dt, requires_grad=rg) for a in arrays]


def flat_outputs(res):
    """The tensors of a case's result (tuples such as (values, indices) flatten)."""
    if isinstance(res, (tuple, list)):
        return [t for r in res for t in flat_outputs(r)]
    return [res]


def describe(t):
    """(dtype, shape, grad_fn name, value as float64/int array) of a tensor."""
    if not hasattr(t, "detach"):
        return ("python", type(t).__name__, None, np.asarray(t))
    fn = t.grad_fn.name() if t.grad_fn is not None else None
    return dtype_name(t), tuple(t.shape), fn, t.detach().numpy()


def assert_values(got, want, dtype, what, tol=None, signed_zeros=True):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, f"{what}: shape {got.shape} != torch's {want.shape}"
    if want.dtype.kind in "biu":
        np.testing.assert_array_equal(got, want, err_msg=what)
        return
    rtol, atol = tol or TOL.get(dtype, TOL["float32"])
    np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64), rtol=rtol, atol=atol,
                               equal_nan=True, err_msg=what)
    if not signed_zeros:
        return
    # Signed zeros print differently (tensor([-0.])): they must match too.
    zeros = (got == 0) & (want == 0)
    np.testing.assert_array_equal(np.signbit(got[zeros]), np.signbit(want[zeros]), err_msg=f"{what}: signed zeros")


def assert_tensor_like(got, want, what, tol=None, signed_zeros=True):
    g, w = describe(got), describe(want)
    assert g[:3] == w[:3], f"{what}: (dtype, shape, grad_fn) {g[:3]} != torch's {w[:3]}"
    assert_values(g[3], w[3], g[0], what, tol, signed_zeros)


def run(lib, fn, arrays, dtype, weights, requires_grad=True):
    """Run the case in `lib`; returns (outputs, leaf gradients)."""
    xs = leaves(lib, arrays, dtype, requires_grad)
    outs = flat_outputs(fn(lib, *xs))
    roots = [o for o in outs if hasattr(o, "requires_grad") and o.requires_grad]
    if roots:
        seeds = [lib.tensor(weights(o.shape), dtype=o.dtype) for o in roots]
        lib.autograd.backward(roots, seeds)
    return outs, [None if x is None else x.grad for x in xs]


def check(torch, fn, arrays, dtype="float64", requires_grad=True, what="", tol=None, signed_zeros=True):
    """Compare jitgrad with torch on `fn(lib, *leaves)`; returns jitgrad's outputs.
    `tol`: (rtol, atol) instead of torch.testing's defaults for the dtype;
    `signed_zeros=False`: don't require the signs of zero gradients to match
    (composites, whose zeros come out of other products than torch's)."""
    def weights(shape):
        return np.random.default_rng(7).uniform(0.5, 1.5, tuple(shape))
    want, wgrads = run(torch, fn, arrays, dtype, weights, requires_grad)
    got, ggrads = run(jitgrad, fn, arrays, dtype, weights, requires_grad)
    assert len(got) == len(want), f"{what}: {len(got)} outputs, torch has {len(want)}"
    for i, (g, w) in enumerate(zip(got, want)):
        assert_tensor_like(g, w, f"{what} output {i}", tol)
    empty = any(o.numel() == 0 for o in want if hasattr(o, "numel"))
    for i, (g, w) in enumerate(zip(ggrads, wgrads)):
        if g is None and w is not None and (w.numel() == 0 or empty and not w.any()):
            continue    # an engine limitation, tested once: test_empty_leaf_gets_empty_grad
        assert (g is None) == (w is None), f"{what} grad of input {i}: {g} vs torch's {w}"
        if w is not None:
            assert_tensor_like(g, w, f"{what} grad of input {i}", tol, signed_zeros)
    return got


def error_of(fn):
    """(type name, message) of the exception fn() raises, or None."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - comparing errors is the point
        return type(e).__name__, str(e).replace("jitgrad.", "torch.")
    return None


def check_error(torch, fn, arrays, dtype="float64"):
    """fn raises the same error type and message in both libraries; returns it."""
    want = error_of(lambda: fn(torch, *leaves(torch, arrays, dtype)))
    assert want is not None, "torch accepts this case: not an error case"
    got = error_of(lambda: fn(jitgrad, *leaves(jitgrad, arrays, dtype)))
    assert got == want, f"jitgrad's error {got} != torch's {want}"
    return got


def fd_check(fn, arrays, eps=1e-6, rtol=1e-5, atol=1e-7, what=""):
    """jitgrad's float64 gradient of sum(w * fn(*xs)) against central differences."""
    xs = leaves(jitgrad, arrays, "float64")
    out = fn(jitgrad, *xs)
    w = np.random.default_rng(3).uniform(0.5, 1.5, tuple(out.shape))
    out.backward(jitgrad.tensor(w))
    for i, (x, a) in enumerate(zip(xs, arrays)):
        if x is None:
            continue
        a = np.asarray(a, np.float64)
        num = np.zeros(a.shape)
        for k in np.ndindex(a.shape):
            hi, lo = a.copy(), a.copy()
            hi[k] += eps
            lo[k] -= eps
            with jitgrad.no_grad():
                f = [float((fn(jitgrad, *_replace(xs, i, v)).numpy() * w).sum()) for v in (hi, lo)]
            num[k] = (f[0] - f[1]) / (2 * eps)
        got = x.grad.numpy() if x.grad is not None else np.zeros(a.shape)
        np.testing.assert_allclose(got, num, rtol=rtol, atol=atol, err_msg=f"{what} input {i} vs finite differences")


def _replace(xs, i, arr):
    out = list(xs)
    out[i] = jitgrad.tensor(arr, dtype=jitgrad.float64)
    return out


def same_result(got, want, what="value", rtol=1e-6, atol=1e-7, grad_fn=True, exact_containers=False):
    """got (jitgrad) equals want (torch): tensors by dtype, shape,
    requires_grad, grad_fn name (`grad_fn`) and values; tuples/lists
    elementwise (of the same type with `exact_containers`); dicts by keys and
    values; strings with the module name swapped; other objects by ==."""
    import torch
    if isinstance(want, torch.Tensor):
        assert isinstance(got, jitgrad.Tensor), f"{what}: {type(got)} is not a tensor"
        assert dtype_name(got) == dtype_name(want), f"{what}: dtype"
        assert tuple(got.shape) == tuple(want.shape), f"{what}: shape {tuple(got.shape)} != {tuple(want.shape)}"
        assert got.requires_grad == want.requires_grad, f"{what}: requires_grad"
        if grad_fn:
            gn = None if got.grad_fn is None else type(got.grad_fn).__name__
            wn = None if want.grad_fn is None else type(want.grad_fn).__name__
            assert gn == wn, f"{what}: grad_fn {gn} != {wn}"
        np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy(), rtol=rtol, atol=atol,
                                   err_msg=what)
    elif isinstance(want, (tuple, list)):
        assert (type(got) is type(want) if exact_containers else True) and len(got) == len(want), \
            f"{what}: {type(got)} {type(want)}"
        for i, (g, w) in enumerate(zip(got, want)):
            same_result(g, w, f"{what}[{i}]", rtol, atol, grad_fn, exact_containers)
    elif isinstance(want, dict):
        assert isinstance(got, dict) and list(got) == list(want), what
        for k in want:
            same_result(got[k], want[k], f"{what}[{k!r}]", rtol, atol, grad_fn, exact_containers)
    elif isinstance(want, str):
        assert got.replace("jitgrad", "torch") == want, f"{what}: {got!r} != {want!r}"
    else:
        assert got == want, f"{what}: {got!r} != {want!r}"


def run_both(case, same=same_result):
    """Run case(lib) with torch and jitgrad; results compare with `same`,
    exceptions by type and message (module name swapped)."""
    import torch
    results = []
    for lib in (torch, jitgrad):
        try:
            results.append(("ok", case(lib)))
        except Exception as e:     # noqa: BLE001 (the error is the result)
            results.append(("error", (type(e).__name__, str(e))))
    (tk, tv), (jk, jv) = results
    assert jk == tk, f"torch: {tk} {tv!r}; jitgrad: {jk} {jv!r}"
    if tk == "error":
        assert jv[0] == tv[0] and jv[1].replace("jitgrad", "torch") == tv[1], f"{jv} != {tv}"
    else:
        same(jv, tv)
    return jv
