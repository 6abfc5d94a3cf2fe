"""The scalar fast paths of functional/small.py (softmax / log_softmax of a
small vector, stack of 0-d tensors, unbind of a vector): the same tape
(records, values, index maps), values, gradients and names as the general
paths (small.ENABLED = False), and torch's answers on the torch-style scalar
graph: values, gradients, grad_fn names, second derivatives, hooks,
retain_grad, errors, and compile replay."""
import math
import warnings

import numpy as np
import pytest
import torch

import jitgrad
from jitgrad.functional import small

F_J, F_T = jitgrad.nn.functional, torch.nn.functional


def tape_of(t):
    tp = t._tape
    return bytes(tp.rec), bytes(tp.vals), bytes(tp.meta)


def both_paths(build):
    """build() with the fast paths on, then off: (fast result, general result)."""
    assert small.ENABLED
    fast = build()
    small.ENABLED = False
    try:
        general = build()
    finally:
        small.ENABLED = True
    return fast, general


INPUTS = [[0.3, -1.2, 2.0, 0.5], [1e-30], [math.inf, 1.0], [math.nan, 2.0], [-3e38, 3e38],
          [-math.inf, 0.0], [math.inf, -math.inf], [5.0, 5.0, 5.0], list(np.linspace(-4, 9, 64)),
          [-0.0, 0.0], [0.0, -0.0, -2.0], [-0.0], list(np.linspace(-3, 2, 9))]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("vals", INPUTS, ids=range(len(INPUTS)))
@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_softmax_same_tape_values_and_gradient_as_general_path(fn, vals, dtype):
    def build():
        x = jitgrad.tensor(vals, dtype=getattr(jitgrad, dtype), requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")       # no NumPy overflow / invalid warnings
            y = getattr(F_J, fn)(x * 1.5, dim=0)
        w = jitgrad.tensor(np.arange(1, len(vals) + 1, dtype=np.float64), dtype=y.dtype)
        tape = tape_of(y)
        (y * w).sum().backward()
        return tape, y.grad_fn.name(), repr(y), x.grad.numpy().tobytes()

    fast, general = both_paths(build)
    assert fast == general


def test_fast_paths_are_taken(monkeypatch):
    """The tapes above would compare equal trivially if no fast path ran."""
    calls = []
    for name in ("softmax_vector", "stack_scalars", "unbind_vector"):
        def spy(*a, _orig=getattr(small, name), _name=name, **k):
            r = _orig(*a, **k)
            calls.append((_name, r is not None))
            return r
        monkeypatch.setattr(small, name, spy)
    x = jitgrad.tensor([0.5, 1.5], requires_grad=True)
    a, b = (x * 2).unbind(0)
    jitgrad.softmax(jitgrad.stack([a, b]), 0)
    assert calls == [("unbind_vector", True), ("stack_scalars", True), ("softmax_vector", True)]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_stack_and_unbind_same_tape_as_general_path(dtype):
    def build():
        dt = getattr(jitgrad, dtype)
        x = jitgrad.tensor([0.25, -1.5, 3.0, 2.0, 0.125], dtype=dt, requires_grad=True)
        c = jitgrad.tensor(7.0, dtype=dt)                        # a constant among the stacked
        parts = [xi * 1.25 for xi in x.unbind(0)] + [c]
        s = jitgrad.stack(parts)
        outs = (s * s).unbind(-1)
        y = outs[0] * outs[2] + outs[5] * outs[4]
        tape = tape_of(y)
        y.backward()
        names = [o.grad_fn.name() for o in outs] + [s.grad_fn.name()]
        return tape, names, repr(s), [repr(o) for o in outs], x.grad.numpy().tobytes()

    fast, general = both_paths(build)
    assert fast == general


def graph(m, x, n, stride):
    """benchmarks' scalar_graph_unbind_fn (the scalar_graph_torch workload), small."""
    F = m.nn.functional
    xs = x.unbind(0)
    a = [F.softplus(xi * 0.5 + 0.1) for xi in xs]
    s = []
    for j in range(stride):
        acc = a[j]
        for k in range(j + stride, n, stride):
            acc = acc + a[k]
        s.append(acc)
    p = [a[i] * s[i % stride] for i in range(n)]
    total = None
    for g in range(0, n, 4):
        w = F.softmax(m.stack(p[g:g + 4]) * 0.01, dim=0)
        for k, wk in enumerate(w.unbind(0)):
            t = wk * p[g + k]
            total = t if total is None else total + t
    return total


X0 = np.array([0.01 * ((i * 37) % 101 - 50) for i in range(40)])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_torch_style_graph_matches_torch(dtype):
    out = {}
    for m in (jitgrad, torch):
        x = m.tensor(X0, dtype=getattr(m, dtype), requires_grad=True)
        y = graph(m, x, 40, 5)
        y.backward()
        out[m.__name__] = (y.detach().numpy(), x.grad.numpy(), str(y.dtype).split(".")[-1], y.grad_fn.name())
    j, t = out["jitgrad"], out["torch"]
    rtol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(j[0], t[0], rtol=rtol)
    np.testing.assert_allclose(j[1], t[1], rtol=rtol * 10, atol=1e-7 if dtype == "float32" else 1e-14)
    assert j[2:] == t[2:]


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_second_derivatives_match_torch_and_finite_differences(fn):
    """create_graph through stack -> softmax -> unbind, against torch."""
    def f(m, x):
        p = [xi * xi for xi in x.unbind(0)]
        w = getattr(m.nn.functional, fn)(m.stack(p), dim=0).unbind(0)
        return w[0] * p[1] + w[2] * w[1]

    res = {}
    for m in (jitgrad, torch):
        x = m.tensor([0.3, -0.7, 1.1], dtype=m.float64, requires_grad=True)
        (g,) = m.autograd.grad(f(m, x), x, create_graph=True)
        rows = [m.autograd.grad(g[i], x, retain_graph=True)[0].detach().numpy() for i in range(3)]
        res[m.__name__] = (g.detach().numpy(), np.array(rows))
    np.testing.assert_allclose(res["jitgrad"][0], res["torch"][0], rtol=1e-12)
    np.testing.assert_allclose(res["jitgrad"][1], res["torch"][1], rtol=1e-10, atol=1e-12)
    # and the Hessian by central differences of the jitgrad gradient
    def grad_at(v):
        x = jitgrad.tensor(v, dtype=jitgrad.float64, requires_grad=True)
        f(jitgrad, x).backward()
        return x.grad.numpy()
    h, v0 = 1e-6, np.array([0.3, -0.7, 1.1])
    fd = np.array([(grad_at(v0 + h * e) - grad_at(v0 - h * e)) / (2 * h) for e in np.eye(3)])
    np.testing.assert_allclose(res["jitgrad"][1], fd, rtol=1e-5, atol=1e-7)


def test_hooks_and_retain_grad_on_fast_path_outputs():
    seen = {}
    for m in (jitgrad, torch):
        x = m.tensor([0.5, -1.0, 2.0, 0.25], requires_grad=True)
        parts = (x * 3).unbind(0)
        parts[1].retain_grad()
        s = m.stack(parts)
        s.retain_grad()
        w = m.nn.functional.softmax(s, dim=0)
        w.register_hook(lambda g: g * 2)
        w.retain_grad()
        ws = w.unbind(0)
        ws[3].register_hook(lambda g: g + 1)
        y = ws[0] * parts[2] + ws[3] * ws[1]
        y.backward()
        seen[m.__name__] = [t.numpy() for t in (x.grad, parts[1].grad, s.grad, w.grad)]
    for a, b in zip(seen["jitgrad"], seen["torch"]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


def test_unbind_outputs_keep_torchs_inplace_errors():
    msgs = {}
    for m in (jitgrad, torch):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        a, b, c = (x * 1).unbind(0)
        with pytest.raises(RuntimeError) as e1:
            b.mul_(2)
        d, e, f = m.nn.functional.softmax(x * 1, dim=0).unbind(0)
        with pytest.raises(RuntimeError) as e2:
            f.add_(1)
        msgs[m.__name__] = (str(e1.value), str(e2.value))
    assert msgs["jitgrad"] == msgs["torch"]
    assert "Output 1 of Unbind is a view and is being modified inplace" in msgs["torch"][0]


def test_write_into_unbound_root_is_seen_by_views_and_marks_them_stale():
    """A write into the root shows through the 0-d views, and backward through
    a record that saved a view's old value raises (as the general path)."""
    def build():
        x = jitgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 1
        a, b, c = y.unbind(0)
        z = a * b
        y.mul_(2)
        try:
            z.backward()
            err = None
        except RuntimeError as e:
            err = str(e)
        return repr(a), repr(b), err

    fast, general = both_paths(build)
    assert fast == general
    assert fast[2] is not None and "modified by an inplace operation" in fast[2]


def test_no_grad_and_constant_inputs():
    with jitgrad.no_grad():
        x = jitgrad.tensor([0.1, 0.9, -0.4], requires_grad=True)
        w = F_J.softmax(jitgrad.stack(list(x.unbind(0))), dim=0)
    assert not w.requires_grad and w.grad_fn is None
    t = F_T.softmax(torch.tensor([0.1, 0.9, -0.4]), dim=0)
    np.testing.assert_allclose(w.numpy(), t.numpy(), rtol=1e-6)
    # stack of constants and a float64 mix falls back to the general path (promotion)
    s = jitgrad.stack([jitgrad.tensor(1.0), jitgrad.tensor(2.0, dtype=jitgrad.float64)])
    assert s.dtype == jitgrad.float64
    assert repr(s) == repr(torch.stack([torch.tensor(1.0), torch.tensor(2.0, dtype=torch.float64)])).replace(
        "torch", "jitgrad")


def test_errors_unchanged():
    for m in (jitgrad, torch):
        a = m.tensor(1.0, requires_grad=True)
        with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
            m.stack([a, m.tensor([1.0, 2.0])])
        with pytest.raises(IndexError):
            m.stack([a, a], dim=2)
        with pytest.raises(IndexError):
            m.tensor([1.0, 2.0]).unbind(1)


def test_compile_replay_of_torch_style_graph():
    """Under jitgrad.compile the general path records (the max shift is
    recorded and guarded); replays at new inputs match eager."""
    def f(x):
        return graph(jitgrad, x, 12, 3)

    cf = jitgrad.compile(f)
    for shift in (0.0, 0.3, -0.2):
        v = X0[:12] + shift
        xe = jitgrad.tensor(v, requires_grad=True)
        ye = f(xe)
        ye.backward()
        xc = jitgrad.tensor(v, requires_grad=True)
        yc = cf(xc)
        yc.backward()
        assert yc.item() == ye.item()
        np.testing.assert_array_equal(xc.grad.numpy(), xe.grad.numpy())


@pytest.mark.parametrize("dtype", ["int64", "bool", "float16", "float64"])
def test_unbind_of_other_dtypes_prints_as_torch(dtype):
    vals = [1, 0, 3] if dtype != "float16" else [1.5, 2.0, -0.25]
    got = [repr(t) for t in jitgrad.tensor(vals, dtype=getattr(jitgrad, dtype)).unbind(0)]
    want = [repr(t).replace("torch", "jitgrad") for t in torch.tensor(vals, dtype=getattr(torch, dtype)).unbind(0)]
    assert got == want


@pytest.mark.parametrize("keepdim", [False, True])
def test_logsumexp_same_tape_as_general_path_and_matches_torch(keepdim):
    vals = [[0.5, -2.0, 3.0], [100.0, 99.0, -math.inf]]

    def build():
        x = jitgrad.tensor(vals, requires_grad=True)
        y = jitgrad.logsumexp(x * 1, dim=1, keepdim=keepdim)
        tape = tape_of(y)
        y.sum().backward()
        return tape, repr(y), x.grad.numpy().tobytes()

    fast, general = both_paths(build)
    assert fast == general
    xt = torch.tensor(vals, requires_grad=True)
    yt = torch.logsumexp(xt * 1, dim=1, keepdim=keepdim)
    yt.sum().backward()
    assert fast[1] == repr(yt).replace("torch", "jitgrad")
    np.testing.assert_allclose(np.frombuffer(fast[2], np.float32), xt.grad.numpy().ravel(), rtol=1.3e-6, atol=1e-5)
