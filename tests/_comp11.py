"""Helpers of tests/test_comp11_*.py: a user scenario run three times --
jitgrad compiled, jitgrad eager, torch eager -- step by step, compiled and
eager jitgrad compared bit for bit, jitgrad and torch within tolerance."""
import dataclasses
import warnings

import numpy as np
import torch

import jitgrad as jg


def _flat(v, out):
    """Nested results as a flat list of arrays, plain values and structure markers."""
    if isinstance(v, (jg.Tensor, torch.Tensor)):
        out.append((str(v.dtype).split(".")[-1], tuple(v.shape), bool(v.requires_grad)))
        out.append(np.array(v.detach().numpy()))
    elif isinstance(v, dict):
        out.append(("dict", tuple(v)))
        for x in v.values():
            _flat(x, out)
    elif isinstance(v, (list, tuple)):
        out.append((type(v).__name__, len(v)))
        for x in v:
            _flat(x, out)
    elif dataclasses.is_dataclass(v):
        out.append(("dataclass", type(v).__name__))
        for f in dataclasses.fields(v):
            _flat(getattr(v, f.name), out)
    elif isinstance(v, (jg.Size, torch.Size)):
        out.append(tuple(v))
    else:
        out.append(v)
    return out


def run(make, steps, rtol=2e-5, atol=1e-6):
    """make(lib, compile) -> step(k) returning results; the three runs step
    by step. Returns the compiled run's warnings (messages)."""
    runs, caught = {}, []
    for name, lib, comp in (("compiled", jg, jg.compile), ("eager", jg, None), ("torch", torch, None)):
        lib.manual_seed(0)
        step = make(lib, comp or (lambda f=None, **kw: f if f is not None else (lambda g: g)))
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            runs[name] = [_flat(step(k), []) for k in range(steps)]
        if name == "compiled":
            caught = [str(x.message) for x in w if issubclass(x.category, RuntimeWarning)]
    for k, (c, e, t) in enumerate(zip(runs["compiled"], runs["eager"], runs["torch"])):
        assert len(c) == len(e) == len(t), (k, c, e, t)
        for i, (a, b, r) in enumerate(zip(c, e, t)):
            if isinstance(a, np.ndarray):
                assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes(), (k, i, a, b)
                if a.dtype.kind == "f":
                    np.testing.assert_allclose(a, r, rtol=rtol, atol=atol, err_msg=f"step {k} value {i}")
                else:
                    assert np.array_equal(a, r), (k, i, a, r)
            elif isinstance(a, float):
                assert a == b and np.isclose(a, r, rtol=rtol, atol=atol), (k, i, a, b, r)
            else:
                assert a == b == r, (k, i, a, b, r)
    return caught


def data(k, *shape, dtype=np.float32, seed=0):
    return np.random.default_rng(1000 * seed + k).standard_normal(shape).astype(dtype)


def same_init(lib, build):
    """A module built with jitgrad's initial weights (torch's copied from them)."""
    jg.manual_seed(0)
    ref = build(jg)
    if lib is jg:
        return ref
    m = build(torch)
    with torch.no_grad():
        for (n, p), (_, q) in zip(ref.state_dict().items(), m.state_dict().items()):
            q.copy_(torch.tensor(p.numpy()))
    return m


def eager_warnings(caught):
    return [w for w in caught if "runs eagerly" in w]
