"""Helpers of tests/test_users8_compile*.py: run one user function eagerly in
jitgrad, compiled by jitgrad.compile and in torch, call after call, and
compare every call's results and gradients (compiled vs eager jitgrad: bit
for bit; jitgrad vs torch: values within tolerance, same dtypes and shapes)."""
import warnings

import numpy as np
import torch

import jitgrad as jg


def leaves(out, acc=None):
    """The tensors and plain values of a nested result, in order, with the
    container types (so a tuple returned as a list is a difference)."""
    acc = [] if acc is None else acc
    if isinstance(out, dict):
        acc.append(("dict", tuple(out)))
        for k in out:
            leaves(out[k], acc)
    elif isinstance(out, (list, tuple)):
        acc.append((type(out).__name__, len(out)))
        for o in out:
            leaves(o, acc)
    else:
        acc.append(out)
    return acc


def _is_tensor(x):
    return isinstance(x, (jg.Tensor, torch.Tensor))


def _np(t):
    return t.detach().numpy()


def assert_bits(eager, compiled, what=""):
    """compiled equals eager bit for bit: structure, dtypes, shapes,
    requires_grad, bytes; plain values equal."""
    a, b = leaves(eager), leaves(compiled)
    assert len(a) == len(b), f"{what}: structure {a} vs {b}"
    for x, y in zip(a, b):
        if _is_tensor(x):
            assert isinstance(y, jg.Tensor), f"{what}: {type(y)} for a tensor"
            assert x.dtype == y.dtype and tuple(x.shape) == tuple(y.shape), f"{what}: {x.dtype}{tuple(x.shape)} vs {y.dtype}{tuple(y.shape)}"
            assert x.requires_grad == y.requires_grad, f"{what}: requires_grad {x.requires_grad} vs {y.requires_grad}"
            xa, ya = np.ascontiguousarray(_np(x)), np.ascontiguousarray(_np(y))
            assert xa.tobytes() == ya.tobytes(), f"{what}: values\n{xa}\nvs compiled\n{ya}"
        else:
            assert type(x) is type(y) and (x == y or (x != x and y != y)), f"{what}: {x!r} vs {y!r}"


def assert_torch(jgout, thout, what="", tol=None):
    """jitgrad's result means what torch's does: structure, dtypes, shapes, values."""
    a, b = leaves(jgout), leaves(thout)
    assert len(a) == len(b), f"{what}: structure {a} vs {b}"
    for x, y in zip(a, b):
        if _is_tensor(x):
            assert str(x.dtype).split(".")[-1] == str(y.dtype).split(".")[-1], f"{what}: {x.dtype} vs {y.dtype}"
            assert tuple(x.shape) == tuple(y.shape), f"{what}: shape {tuple(x.shape)} vs {tuple(y.shape)}"
            xa, ya = _np(x), _np(y)
            if xa.dtype.kind == "f":
                t = tol if tol is not None else (2e-5 if xa.dtype == np.float32 else 1e-10)
                assert np.allclose(xa, ya, rtol=t, atol=t, equal_nan=True), f"{what}: {xa} vs torch {ya}"
            else:
                assert np.array_equal(xa, ya), f"{what}: {xa} vs torch {ya}"
        elif isinstance(x, float):
            assert isinstance(y, float) and np.isclose(x, y, rtol=1e-6, atol=1e-9, equal_nan=True), f"{what}: {x} vs {y}"
        else:
            assert x == y, f"{what}: {x!r} vs {y!r}"


def make(lib, spec):
    """Arguments for lib from a spec: NumPy arrays become tensors (float
    arrays requiring grad when the spec says so), other values stay."""
    if isinstance(spec, Grad):
        return lib.tensor(spec.a, requires_grad=True)
    if isinstance(spec, np.ndarray):
        return lib.tensor(spec)
    if isinstance(spec, dict):
        return {k: make(lib, v) for k, v in spec.items()}
    if isinstance(spec, (list, tuple)):
        return type(spec)(make(lib, v) for v in spec)
    return spec


class Grad:
    """A float array argument that requires grad."""

    def __init__(self, a):
        self.a = np.asarray(a)


def grads_of(out, args):
    """Sum every floating tensor of out that requires grad, backward, and
    return the .grad of each argument tensor that requires grad."""
    ts = [t for t in leaves(out) if _is_tensor(t) and t.requires_grad]
    leaves_in = [t for t in leaves(args) if _is_tensor(t) and t.requires_grad]
    if not ts or not leaves_in:
        return []
    total = ts[0].sum() * 1.0
    for t in ts[1:]:
        total = total + t.sum()
    total.backward()
    return [t.grad for t in leaves_in]


def run_scenario(body, calls, compiled=None, grads=True, tol=None, kwcalls=None):
    """For each argument spec list in calls: body(jitgrad, *args) eagerly,
    compiled (jg.compile(lambda *a, **k: body(jg, *a, **k)) unless given)
    and body(torch, *args); compare values and gradients of every call.
    Returns the compiled function."""
    cf = compiled or jg.compile(lambda *a, **k: body(jg, *a, **k))
    for i, spec in enumerate(calls):
        kw = kwcalls[i] if kwcalls else {}
        ea, ca, ta = make(jg, spec), make(jg, spec), make(torch, spec)
        ekw, ckw, tkw = make(jg, kw), make(jg, kw), make(torch, kw)
        e = body(jg, *ea, **ekw)
        c = cf(*ca, **ckw)
        t = body(torch, *ta, **tkw)
        assert_bits(e, c, f"call {i}")
        assert_torch(e, t, f"call {i} torch", tol)
        if grads:
            ge, gc, gt = grads_of(e, (ea, ekw)), grads_of(c, (ca, ckw)), grads_of(t, (ta, tkw))
            assert len(ge) == len(gc) == len(gt), f"call {i}: grads {len(ge)} {len(gc)} {len(gt)}"
            for j, (x, y, z) in enumerate(zip(ge, gc, gt)):
                assert (x is None) == (y is None) == (z is None), f"call {i} grad {j}: None-ness"
                if x is not None:
                    assert_bits(x, y, f"call {i} grad {j}")
                    assert_torch(x, z, f"call {i} grad {j} torch", tol)
    return cf


def no_warnings(fn, *a, **k):
    """fn's result, asserting it warned nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*a, **k)


def counts(cf):
    """(recordings, replays, eager calls) of a compiled function."""
    cf = getattr(cf, "cf", cf)
    return cf.records, cf.replays, cf.eager_calls
