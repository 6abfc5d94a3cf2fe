"""Lead, session 7: cdist by a matrix product (torch's _euclidean_dist for
more than 25 rows), double backward through large (bulk) tensors, torch's
GRU cell arithmetic."""
import numpy as np
import pytest
import torch

import jitgrad


def _pair(rows1, rows2, batch=(), seed=0, cols=3):
    rng = np.random.default_rng(seed)
    return rng.uniform(0.0, 5.0, batch + (rows1, cols)), rng.uniform(-2.0, 5.0, batch + (rows2, cols))


def _run(m, x0, y0, dtype, **kw):
    dt = getattr(m, dtype)
    a = m.tensor(x0, dtype=dt, requires_grad=True)
    b = m.tensor(y0, dtype=dt, requires_grad=True)
    d = m.cdist(a, b, **kw)
    names = [type(d.grad_fn).__name__] + [type(f).__name__ for f, _ in d.grad_fn.next_functions]
    w = m.tensor(np.cos(np.arange(d.numel())).reshape(tuple(d.shape)), dtype=dt)
    (d * w).sum().backward()
    return d, a.grad, b.grad, names


CASES = [(40, 40, ()), (30, 5, ()), (10, 30, (2,)), (26, 3, (3,)), (5, 8, ())]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("rows1,rows2,batch", CASES)
def test_cdist_matches_torch(rows1, rows2, batch, dtype):
    """Values, gradients, dtype and node names as torch: the direct kernel
    up to 25 rows, the matrix product beyond (float32 distances of ~5 were
    3e-3 off torch's when computed directly)."""
    x0, y0 = _pair(rows1, rows2, batch)
    dt, dj = _run(torch, x0, y0, dtype), _run(jitgrad, x0, y0, dtype)
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == "float32" else dict(rtol=1e-12, atol=1e-12)
    for t, j in zip(dt[:3], dj[:3]):
        assert str(j.dtype).split(".")[-1] == str(t.dtype).split(".")[-1]
        np.testing.assert_allclose(j.detach().numpy(), t.detach().numpy(), **tol)
    assert dj[3] == dt[3]


@pytest.mark.parametrize("mode", ["use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist",
                                  "use_mm_for_euclid_dist_if_necessary"])
def test_cdist_compute_modes_and_zero_distances(mode):
    """A zero distance (a shared row; integer coordinates: exact in both
    forms) has torch's zero subgradient in every mode."""
    x0 = np.array([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]])
    y0 = np.array([[1.0, 2.0], [0.0, 0.0]])
    t = _run(torch, x0, y0, "float32", compute_mode=mode)
    j = _run(jitgrad, x0, y0, "float32", compute_mode=mode)
    for a, b in zip(t[:3], j[:3]):
        np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=1e-6, atol=1e-7)
    assert j[3] == t[3]


def test_cdist_bad_compute_mode():
    with pytest.raises(ValueError, match="bad is not a valid value for compute_mode"):
        jitgrad.cdist(jitgrad.ones(3, 2), jitgrad.ones(4, 2), compute_mode="bad")
    with pytest.raises(ValueError, match="bad is not a valid value for compute_mode"):
        torch.cdist(torch.ones(3, 2), torch.ones(4, 2), compute_mode="bad")


def test_cdist_double_backward_and_no_grad():
    x0, y0 = _pair(30, 28, seed=3)
    res = []
    for m in (torch, jitgrad):
        a = m.tensor(x0, requires_grad=True)
        b = m.tensor(y0, requires_grad=True)
        ga, gb = m.autograd.grad(m.cdist(a, b).pow(3).sum(), (a, b), create_graph=True)
        hess = m.autograd.grad((ga * ga).sum() + gb.sum(), (a, b))
        with m.no_grad():
            plain = m.cdist(a, b)
        res.append([ga, gb, *hess, plain])
        assert plain.grad_fn is None and not plain.requires_grad
    for t, j in zip(*res):
        np.testing.assert_allclose(j.detach().numpy(), t.detach().numpy(), rtol=1e-10, atol=1e-10)


def test_cdist_compiled_replay_equals_eager():
    f = jitgrad.compile(lambda x, y: (jitgrad.cdist(x, y) ** 2).sum())
    for seed in range(3):
        x0, y0 = _pair(30, 30, seed=seed)
        x = jitgrad.tensor(x0, requires_grad=True)
        y = jitgrad.tensor(y0)
        v = f(x, y)
        g, = jitgrad.autograd.grad(v, x)
        xe = jitgrad.tensor(x0, requires_grad=True)
        ve = (jitgrad.cdist(xe, y) ** 2).sum()
        ge, = jitgrad.autograd.grad(ve, xe)
        assert v.item() == ve.item()
        # (the replay differentiates the composite: gradients within rounding of eager's formula)
        np.testing.assert_allclose(g.numpy(), ge.numpy(), rtol=1e-13, atol=1e-13)


def test_hvp_through_large_intermediates():
    """Double backward where a layer's activations are bulk tensors (>= 4096
    elements): the gradient of a create_graph gradient reached the first
    tape's bulk value through a flat view and failed to add up (ValueError)."""
    rng = np.random.default_rng(4)
    shapes = [(32, 8), (32,), (1, 32), (1,)]
    ps0 = [(rng.normal(size=s) * 0.3).astype(np.float32) for s in shapes]
    vs0 = [rng.normal(size=s).astype(np.float32) for s in shapes]
    X0 = rng.normal(size=(256, 8)).astype(np.float32)
    Y0 = rng.normal(size=(256, 1)).astype(np.float32)
    res = []
    for m in (torch, jitgrad):
        F = m.nn.functional
        ps = [m.tensor(p, requires_grad=True) for p in ps0]
        W1, b1, W2, b2 = ps
        loss = F.mse_loss(F.linear(m.tanh(F.linear(m.tensor(X0), W1, b1)), W2, b2), m.tensor(Y0))
        gs = m.autograd.grad(loss, ps, create_graph=True)
        dot = sum((g * m.tensor(v)).sum() for g, v in zip(gs, vs0))
        res.append(m.autograd.grad(dot, ps))
    for t, j in zip(*res):
        np.testing.assert_allclose(j.numpy(), t.numpy(), rtol=2e-4, atol=2e-5)


def test_gru_cell_uses_torchs_update_formula():
    """torch's CPU gru_cell: h' = (h - n) * z + n (not (1 - z) * n + z * h):
    with every matmul exact (small integer weights and inputs) the hidden
    states and gradients are torch's bit for bit."""
    res = []
    for m in (torch, jitgrad):
        cell = m.nn.GRUCell(3, 4)
        rng = np.random.default_rng(0)
        with m.no_grad():
            for p in cell.parameters():
                p.copy_(m.tensor(rng.integers(-2, 3, size=tuple(p.shape)).astype(np.float32) / 4))
        xs = m.tensor(rng.integers(-2, 3, size=(6, 2, 3)).astype(np.float32) / 2)
        h = m.zeros(2, 4)
        for x in xs:
            h = cell(x, h)
        h.pow(2).sum().backward()
        res.append([h.detach()] + [p.grad for p in cell.parameters()])
    for t, j in zip(*res):
        np.testing.assert_allclose(j.numpy(), t.numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(res[1][0].numpy(), res[0][0].numpy())


def _linear_twice(m, modify):
    F = m.nn.functional
    w = m.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], requires_grad=True)
    b = m.tensor([0.1, -0.2], requires_grad=True)
    calls = []
    w.register_hook(lambda g: calls.append(g.clone()))
    x = m.tensor([[1.0, 2.0, 3.0]])
    y1 = F.linear(x, w, b)
    if modify:
        with m.no_grad():
            w.mul_(2.0)
    y2 = F.linear(y1.tanh().repeat(1, 2)[:, :3], w, b)
    (y1.sum() + (y2 * y2).sum()).backward()
    return [y1.detach(), y2.detach(), w.grad, b.grad, calls[0], len(calls)]


@pytest.mark.parametrize("modify", [False, True])
def test_linear_reuses_weight_transpose_per_tape(modify):
    """A weight's transpose is recorded once per tape while the weight is
    unchanged: gradients, hooks and an in-place update between two calls
    (the second call reads the new values) as torch."""
    t, j = _linear_twice(torch, modify), _linear_twice(jitgrad, modify)
    assert t[5] == j[5] == 1
    for a, b in zip(t[:5], j[:5]):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-6, atol=1e-7)


def test_rnn_cell_retain_graph_twice():
    res = []
    for m in (torch, jitgrad):
        m.manual_seed(0)
        cell = m.nn.RNNCell(3, 4)
        h = m.zeros(1, 4)
        for x in m.ones(5, 1, 3):
            h = cell(x, h)
        loss = h.pow(2).sum()
        loss.backward(retain_graph=True)
        loss.backward()
        res.append([p.grad.clone() for p in cell.parameters()])
    for a, b in zip(*res):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-5, atol=1e-6)


def _mm_after_inplace(m, x_rg, w_rg, modify):
    x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=x_rg)
    w = m.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=w_rg)
    xx, ww = x * 1.0, w * 1.0       # non-leaf operands (a leaf's in-place write raises at once)
    y = xx @ ww
    with m.no_grad():
        (xx if modify == "x" else ww).add_(1.0)
    try:
        y.sum().backward()
    except RuntimeError as e:
        return "modified by an inplace operation" in str(e)
    return False


@pytest.mark.parametrize("x_rg,w_rg", [(True, False), (False, True), (True, True)])
@pytest.mark.parametrize("modify", ["x", "w"])
def test_matmul_saves_what_torch_saves(x_rg, w_rg, modify):
    """mm saves each operand only for the other's gradient: an in-place
    write to an operand whose value no gradient reads is no error."""
    assert _mm_after_inplace(jitgrad, x_rg, w_rg, modify) == _mm_after_inplace(torch, x_rg, w_rg, modify)


def _cast_result(m, v, dt, via):
    try:
        if via == "tensor":
            x = m.tensor(v, dtype=getattr(m, dt))
        elif via == "to":
            x = m.tensor(v, dtype=m.float64).to(getattr(m, dt))
        elif via == "numpy":
            x = m.tensor(np.array(v), dtype=getattr(m, dt))
        elif via == "mul":
            x = m.ones(2, dtype=getattr(m, dt)) * v[0]
        elif via == "where":
            x = m.where(m.tensor([True, False]), m.ones(2, dtype=getattr(m, dt)), v[0])
        else:
            x = m.ones(2, dtype=getattr(m, dt)).masked_fill(m.tensor([True, False]), v[0])
        return str(x.tolist())
    except RuntimeError as e:
        return "RuntimeError " + str(e)


@pytest.mark.parametrize("via", ["tensor", "to", "numpy", "mul", "where", "masked_fill"])
@pytest.mark.parametrize("dt", ["int64", "int8", "uint8", "bool", "float16", "float32"])
def test_out_of_range_casts_warn_nothing(via, dt):
    """nan, inf and out-of-range floats cast as torch casts them (values or
    its overflow error), without NumPy's RuntimeWarning, which torch never
    prints."""
    import warnings
    for v in ([float("nan"), 1.0], [float("inf"), -float("inf")], [1e30], [1e300], [300.0, -129.0]):
        want = _cast_result(torch, v, dt, via)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = _cast_result(jitgrad, v, dt, via)
        assert got == want, (v, got, want)


_F = jitgrad.nn.functional
_EXTREME = np.array([[np.inf, 0.0, 1e30, -np.inf], [np.nan, 1e300, -1e300, 2.0], [0.0, -0.0, 1.0, 1e-300]])
_QUIET_CASES = {
    "matmul": lambda x: x @ x.T,
    "linear": lambda x: _F.linear(x, x[:2]),
    "prod": lambda x: x.prod(),
    "cumprod": lambda x: x.cumprod(1),
    "cumsum": lambda x: x.cumsum(1),
    "norm": lambda x: x.norm(),
    "dist": lambda x: jitgrad.dist(x[0], x[1]),
    "var": lambda x: x.var(1),
    "mse": lambda x: _F.mse_loss(x, x.flip(0)),
    "huber": lambda x: _F.huber_loss(x, x.flip(0)),
    "nextafter": lambda x: jitgrad.nextafter(x, x.flip(1)),
    "zeta": lambda x: jitgrad.special.zeta(x.detach().abs() + 1, x.abs() + 1),
    "batch_norm": lambda x: _F.batch_norm(x, None, None, training=True),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", sorted(_QUIET_CASES))
def test_nan_inf_values_warn_nothing(case, dtype):
    """Forward and backward of nan / inf / huge values give nan and inf as
    torch does, without NumPy's RuntimeWarnings (a diverging training loop
    printed one per matmul)."""
    import warnings
    x = jitgrad.tensor(_EXTREME, dtype=getattr(jitgrad, dtype), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = _QUIET_CASES[case](x)
        if out.requires_grad:
            out.sum().backward()


def test_zeta_of_infinities_is_torchs():
    """Cephes' loop divides by a sum that is 0 for x = q = inf (C: nan; Python raised ZeroDivisionError)."""
    x = [1e30, 2.0, float("inf"), 1.0, 3.0, float("inf")]
    q = [1.0, 1e30, 2.0, 0.0, float("inf"), float("inf")]
    want = torch.special.zeta(torch.tensor(x, dtype=torch.float64), torch.tensor(q, dtype=torch.float64)).numpy()
    got = jitgrad.special.zeta(jitgrad.tensor(x, dtype=jitgrad.float64), jitgrad.tensor(q, dtype=jitgrad.float64)).numpy()
    np.testing.assert_array_equal(got, want)


def test_anomaly_mode_left_on_exits_cleanly():
    """set_detect_anomaly(True) never switched off: the interpreter exits
    without an 'Exception ignored' traceback from the profile hook."""
    import subprocess
    import sys
    code = ("import jitgrad as torch\ntorch.autograd.set_detect_anomaly(True)\n"
            "x = torch.ones(2, requires_grad=True)\n(x * 2).sum().backward()\nprint(x.grad)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0
    assert res.stdout.strip() == "tensor([2., 2.])"
    assert "Exception ignored" not in res.stderr and "Traceback" not in res.stderr, res.stderr


def _legacy_losses(m):
    """Every functional loss with the legacy size_average / reduce pair:
    (values to 4 places, warnings)."""
    import itertools
    import warnings
    F = m.nn.functional
    a, b = m.tensor([1.0, 2.0, 3.0]), m.tensor([0.0, 0.0, 1.0])
    lg, t = m.tensor([[1.0, 2.0], [0.5, 0.1]]), m.tensor([0, 1])
    fns = {"mse": lambda **k: F.mse_loss(a, b, **k), "l1": lambda **k: F.l1_loss(a, b, **k),
           "nll": lambda **k: F.nll_loss(lg, t, **k), "ce": lambda **k: F.cross_entropy(lg, t, **k),
           "smooth_l1": lambda **k: F.smooth_l1_loss(a, b, **k),
           "bce": lambda **k: F.binary_cross_entropy(a.sigmoid(), b, **k),
           "kl": lambda **k: F.kl_div(a, b, **k), "bce_logits": lambda **k: F.binary_cross_entropy_with_logits(a, b, **k),
           "poisson": lambda **k: F.poisson_nll_loss(a, b, **k), "soft_margin": lambda **k: F.soft_margin_loss(a, b, **k)}
    out = []
    for name, f in fns.items():
        for sa, rd in itertools.product((None, True, False), (None, True, False)):
            kw = {k: v for k, v in (("size_average", sa), ("reduce", rd)) if v is not None}
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                value = f(**kw).detach().numpy().round(4).tolist()
            out.append((name, sa, rd, value, [str(x.message) for x in w]))
    return out


def test_functional_losses_honour_size_average_and_reduce():
    """F.binary_cross_entropy(recon, x, size_average=False) (the classic VAE
    example) summed as torch; the legacy pair was ignored: silently the mean."""
    for t, j in zip(_legacy_losses(torch), _legacy_losses(jitgrad)):
        assert j == t


def _keyword_cases(m):
    """Keywords that were accepted and ignored: (result or error) per case."""
    import warnings
    a, b = m.tensor([[1.0, 2.0], [3.0, 4.0]]), m.tensor([[5.0, 6.0], [7.0, 8.0]])

    def outcome(f):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                res = str(f())
            except RuntimeError as e:
                res = "RuntimeError " + str(e)
        return res.replace("jitgrad", "torch"), [(x.category.__name__, str(x.message)) for x in w]

    def into(f, o):
        r = f(o)
        return o, r is o

    x = m.ones(2, requires_grad=True)
    return [
        outcome(lambda: into(lambda o: m.tensordot(a, b, dims=1, out=o), m.empty(0))),
        outcome(lambda: into(lambda o: m.nn.functional.normalize(a, out=o), m.empty(2, 2))),
        outcome(lambda: m.norm(a, dtype=m.float64)),
        outcome(lambda: a.norm(p=1, dtype=m.float64)),
        outcome(lambda: m.linalg.lu_factor(a, pivot=False)),
        outcome(lambda: m.linalg.lu_factor_ex(a, pivot=False)),
        outcome(lambda: m.linalg.svd(a, driver="gesvd")),
        outcome(lambda: m.linalg.svdvals(a, driver="gesvd")),
        outcome(lambda: (m.autograd.backward([x * 2], grad_variables=[m.ones(2)]), x.grad)),
        outcome(lambda: m.randperm(3, requires_grad=True)),
    ]


def test_keywords_are_honoured_or_refused_as_torch():
    for t, j in zip(_keyword_cases(torch), _keyword_cases(jitgrad)):
        assert j == t


def _to_and_fill_keywords(m):
    a = m.ones(2, requires_grad=True)
    out = []
    for f in (lambda: a.to(copy=True), lambda: a.to(m.float32, copy=True), lambda: a.to(m.float32),
              lambda: a.to(m.float32, False, True), lambda: a.to("cpu", m.float32, False, True),
              lambda: a.to(a, copy=True), lambda: a.to(dtype=m.float32, copy=False),
              lambda: a.to(m.float64, bogus=1), lambda: a.detach().uniform_(0, 1, bogus=1),
              lambda: a.detach().random_(0, 5, bogus=2)):
        try:
            r = f()
            out.append((r is a, str(r.grad_fn).split(" ")[0] if r.grad_fn is not None else None))
        except TypeError as e:
            out.append(("TypeError", "bogus" in str(e)))
    return out


def test_to_copy_and_unknown_keywords():
    """x.to(copy=True) is a new tensor (it returned x itself: writes went
    through to x); misspelled keywords of to / uniform_ / random_ are a
    TypeError, not ignored."""
    assert _to_and_fill_keywords(jitgrad) == _to_and_fill_keywords(torch)
