"""Known differences from torch, fifth round: each test runs the same code
on torch and jitgrad and compares values and gradients bit for bit where
torch's kernels are IEEE operations, or (float32 gradients, which jitgrad's
sweep accumulates in float64) to rounding with signs of zeros, infs and nans
exact."""

import numpy as np
import pytest

import jitgrad

from _fidelity import LIBS, both, raises_same, same  # noqa: E402,F401

RNG = np.random.default_rng(5)
SPECIALS = [-0.0, 0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 2.5, -3.25, 1e-300]


def bits(a, b):
    """b (jitgrad) equals a (torch) bit for bit (any nan for a nan)."""
    assert tuple(a.shape) == tuple(b.shape), (a, b)
    assert str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1], (a, b)
    x, y = a.detach().numpy(), b.detach().numpy()
    ok = (x.view(np.int64 if x.dtype == np.float64 else np.int32) == y.view(np.int64 if y.dtype == np.float64 else np.int32)) \
        | (np.isnan(x) & np.isnan(y))
    assert ok.all(), (x[~ok][:4], y[~ok][:4])


def _points(n):
    v = RNG.uniform(-4.0, 4.0, max(n, 1))
    k = min(len(SPECIALS), max(n, 1))
    v[RNG.choice(v.size, k, replace=False)] = RNG.permutation(SPECIALS)[:k]
    return v if n else v[:1].reshape(())


# ----- pow by a Python number: torch's forms (PowKernel.cpp), also in the backward -----

# Exponents torch computes without pow(): 2 x*x, 3 x*x*x, -2 1/(x*x), 0.5 sqrt,
# -0.5 rsqrt, -1 reciprocal, 1 copy, 0 ones; and exponents whose derivative
# e * x.pow(e - 1) hits them (1.5: sqrt, 4: x*x*x) or not (2.5, -3).
EXPONENTS = [2, 3, -2, 0.5, -0.5, -1, 1, 0, 2.0, 3.0, 1.5, 4, 2.5, -3]
FORMS = {
    "op": lambda L, x, e: x ** e,
    "pow": lambda L, x, e: L.pow(x, e),
    "method": lambda L, x, e: x.pow(e),
    "inplace": lambda L, x, e: x.clone().pow_(e),
}


def _pow_run(L, v, dtype, e, form, create_graph):
    x = L.tensor(v, dtype=getattr(L, dtype), requires_grad=True)
    y = FORMS[form](L, x, e)
    g, = L.autograd.grad(y.sum(), x, create_graph=create_graph)
    if not create_graph:
        return y, g
    if not g.requires_grad:     # x ** 0 and x ** 1: no graph to differentiate (both libraries)
        return y, g, None
    g2, = L.autograd.grad(g.sum(), x)
    return y, g, g2


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("n", [0, 5, 12], ids=["0d", "n5", "n12"])
def test_pow_number_values_and_gradients(n, dtype):
    """x ** e, torch.pow(x, e), x.pow(e), x.pow_(e) of 0-d and small tensors
    (torch's scalar loop: no vectorised pow below 16 elements): values bit
    for bit, gradients of first and second order (create_graph) bit for bit
    in float64, to rounding in float32 (signs of zeros, infs, nans exact);
    (-0.0) ** 0.5 is -0.0, (-inf) ** 0.5 nan, (-0.0) ** -0.5 -inf."""
    v = _points(n)
    for e in EXPONENTS:
        for form in FORMS:
            for create_graph in (False, True):
                t, j = (_pow_run(L, v, dtype, e, form, create_graph) for L in LIBS)
                bits(t[0], j[0])
                for a, b in zip(t[1:], j[1:]):
                    if a is None or b is None:
                        assert a is None and b is None, (e, form)
                    elif dtype == "float64":
                        bits(a, b)
                    else:
                        same(a, b)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("n", [600, 5000], ids=["array", "bulk"])
def test_pow_number_large(n, dtype):
    """Past smallmath.ARRAY_MAX (NumPy) and past the bulk threshold (kept by
    reference): the same forms. (torch's sqrt is MKL's vsSqrt/vdSqrt, not
    always correctly rounded: x ** 0.5 compared to rounding there.)"""
    v = _points(n)
    for e in (2, 3, -2, 0.5, -0.5, -1, 1, 0):
        t, j = (_pow_run(L, v, dtype, e, "op", True) for L in LIBS)
        (same if e == 0.5 else bits)(t[0], j[0])
        # Bit for bit where torch's backward stays in those forms (-1: -1 * (1 / (x * x)),
        # 0.5: 0.5 * rsqrt(x)); its vectorised pow() (Sleef) elsewhere: to rounding.
        exact = ((2, 3, -1, 0.5), (2, 3))
        for a, b, ex in zip(t[1:], j[1:], exact):
            if a is not None or b is not None:
                (bits if dtype == "float64" and e in ex else same)(a, b)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_pow_number_compiled_replay(dtype):
    """jitgrad.compile replays x ** e (0-d and arrays, each form) bit for bit
    as eager mode, specials included: values and gradients."""
    def f(x, y):
        return (x ** 2 + x ** 3 + x ** -2 + x ** 0.5 + x ** -0.5 + x ** -1 + x ** 1.5 + x ** 2.5).sum() \
            + (y ** 3 * y ** -0.5 + y ** 0.5).sum()

    cf = jitgrad.compile(f)
    calls = [(_points(0), _points(12)) for _ in range(3)] + [(np.float64(-0.0), np.full(12, -0.0))]
    for xv, yv in calls:
        out = []
        for fn in (f, cf):
            x = jitgrad.tensor(xv, dtype=getattr(jitgrad, dtype), requires_grad=True)
            y = jitgrad.tensor(yv, dtype=getattr(jitgrad, dtype), requires_grad=True)
            r = fn(x, y)
            r.backward()
            out.append((r, x.grad, y.grad))
        for a, b in zip(*out):
            bits(a, b)
    assert cf.replays == len(calls) - 1 and cf.tapes[0].mode == "replay", cf.report()


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("n", [0, 5, 12], ids=["0d", "n5", "n12"])
def test_pow_tensor_exponent_is_pow(n, dtype):
    """x ** tensor(e) is torch's pow(Tensor, Tensor): pow() for every
    exponent, no sqrt/rsqrt forms ((-0.0) ** tensor(0.5) is +0.0), and
    number ** x (torch.pow(2, x), 2 ** x) too; values bit for bit, gradients
    bit for bit in float64."""
    v = _points(n)
    for e in (0.5, -0.5, 2.0, 3.0, -2.0, -1.0, 1.5):
        def fn(L):
            x = L.tensor(v, dtype=getattr(L, dtype), requires_grad=True)
            p = L.tensor(e, dtype=getattr(L, dtype), requires_grad=True)
            y = x ** p
            return (y,) + L.autograd.grad(y.sum(), (x, p))
        t, j = both(fn)
        bits(t[0], j[0])
        for a, b in zip(t[1:], j[1:]):
            (bits if dtype == "float64" else same)(a, b)
    w = np.abs(_points(n)) % 3.0         # (finite exponents)
    for base in (2, 2.5, 0.5):
        def rfn(L):
            x = L.tensor(w, dtype=getattr(L, dtype), requires_grad=True)
            y = base ** x
            return y, L.pow(base, x), L.autograd.grad(y.sum(), x)[0]
        t, j = both(rfn)
        bits(t[0], j[0])
        bits(t[1], j[1])
        (bits if dtype == "float64" else same)(t[2], j[2])


def test_pow_number_forward_mode():
    """forward_ad of x ** e: torch's pow_backward(tangent, x, e) forms
    (x ** 0.5 at -0.0: -inf, x ** 1.5 at -0.0: -0.0)."""
    v = np.array([-0.0, 0.0, 2.5, 1.3, -1.7, np.inf, -np.inf, np.nan])
    for e in (0.5, -0.5, 3, 1.5, -2, -1, 2):
        def fn(L):
            with L.autograd.forward_ad.dual_level():
                d = L.autograd.forward_ad.make_dual(L.tensor(v), L.ones(v.size, dtype=L.float64))
                return L.autograd.forward_ad.unpack_dual(d ** e).tangent
        bits(*both(fn))


# ----- create_graph: the gradient's node of a view's backward (torch's names) -----

def _node_name(f):
    return None if f is None else (type(f).__name__ if type(f).__module__.startswith("torch") else f.name())


VIEWS = {
    "select": lambda x: x[0], "select_row": lambda x: x.view(2, 3)[1], "slice": lambda x: x[1:],
    "slice_step": lambda x: x[::2], "narrow": lambda x: x.narrow(0, 1, 3), "select_dim": lambda x: x.select(0, 2),
    "view": lambda x: x.view(3, 2), "reshape": lambda x: x.reshape(3, 2), "flatten": lambda x: x.view(2, 3).flatten(),
    "t": lambda x: x.view(2, 3).t(), "transpose": lambda x: x.view(2, 3).transpose(0, 1),
    "permute": lambda x: x.view(1, 2, 3).permute(2, 0, 1), "unsqueeze": lambda x: x.unsqueeze(0),
    "squeeze": lambda x: x.view(1, 6).squeeze(0), "diagonal": lambda x: x.view(2, 3).diagonal(),
    "expand": lambda x: x[:1].expand(4),
}


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_create_graph_view_gradient_names(view):
    """The create_graph gradient through a single-use view is the view's
    backward node (x[1:]: SliceBackwardBackward0, x.view: ViewBackward0,
    ...), its next function the incoming gradient's node; values as torch."""
    def fn(L):
        x = L.tensor([0.5, -1.0, 2.0, -0.0, 1.5, -2.5], dtype=L.float64, requires_grad=True)
        g, = L.autograd.grad(((VIEWS[view](x) * 1.5) ** 2).sum(), x, create_graph=True)
        f = g.grad_fn
        return g, _node_name(f), [_node_name(h) for h, _ in f.next_functions]
    t, j = both(fn)
    bits(t[0], j[0])
    assert t[1:] == j[1:]


def test_create_graph_select_reads_name():
    """x[i] reads of a vector: each read's gradient is torch's
    SelectBackwardBackward0 (jitgrad: one node for the reads placed in
    zeros, under torch's AddBackward0 for two or more reads)."""
    def fn(L):
        x = L.tensor([0.5, -1.0, 2.0], dtype=L.float64, requires_grad=True)
        g1, = L.autograd.grad(x[0] ** 2, x, create_graph=True)
        g2, = L.autograd.grad(x[0] * x[1], x, create_graph=True)
        f = g2.grad_fn
        return g1, g2, _node_name(g1.grad_fn), _node_name(f), _node_name(f.next_functions[0][0])
    t, j = both(fn)
    bits(t[0], j[0])
    bits(t[1], j[1])
    assert t[2:] == j[2:]


# ----- inference_mode: inference tensors -----

def test_is_inference():
    """Tensors made inside inference_mode() (factories, op results, 0-d fast
    paths, views and x[i] of them, detach) are inference tensors; views of
    normal tensors, in-place results on them and tensors made under
    inference_mode(False) are not; as decorator (also bare) too."""
    def fn(L):
        n = L.ones(3)
        with L.inference_mode():
            x = L.ones(3)
            s = L.tensor(2.0)
            made = [x, x * 2, x[0], x[1:], s, s * 3.0, s.sin(), 3.0 - s, s + s, x.view(3, 1), x.detach(),
                    L.randn(2), x.sum()]
            normal = [n[1:], n[0], n.add_(1)]
            with L.inference_mode(False):
                normal.append(L.ones(2))
        normal += [L.ones(2), n * 2]

        @L.inference_mode()
        def f():
            return L.ones(1)

        @L.inference_mode
        def g():
            return L.ones(1)
        return [t.is_inference() for t in made], [t.is_inference() for t in normal], f().is_inference(), \
            g().is_inference(), L.is_inference_mode_enabled()
    t, j = both(fn)
    assert t == j
    assert t[0] == [True] * len(t[0]) and t[1] == [False] * len(t[1])


INFERENCE_USES = {
    "mul": lambda L, w, w0, x, s: w * x, "rmul": lambda L, w, w0, x, s: x * w, "mul_0d": lambda L, w, w0, x, s: w0 * s,
    "rmul_0d": lambda L, w, w0, x, s: s * w0, "div": lambda L, w, w0, x, s: w / x, "rdiv": lambda L, w, w0, x, s: x / w,
    "rdiv_0d": lambda L, w, w0, x, s: s / w0, "pow": lambda L, w, w0, x, s: w ** x, "matmul": lambda L, w, w0, x, s: w @ x,
    "linear": lambda L, w, w0, x, s: L.nn.functional.linear(x, w.view(1, 3)),
    "add": lambda L, w, w0, x, s: w + x, "sub_0d": lambda L, w, w0, x, s: s - w0, "sin": lambda L, w, w0, x, s: x.sin(),
    "add_": lambda L, w, w0, x, s: x.add_(1), "mul_": lambda L, w, w0, x, s: x.mul_(2),
    "setitem": lambda L, w, w0, x, s: x.__setitem__(0, 1.0), "fill_": lambda L, w, w0, x, s: s.fill_(3.0),
    "requires_grad_": lambda L, w, w0, x, s: x.requires_grad_(),
}


@pytest.mark.parametrize("use", sorted(INFERENCE_USES))
def test_inference_tensor_outside_inference_mode(use):
    """Outside inference_mode an inference tensor saved for backward
    (x * w, w / x, w @ x ...), written in place or set to require grad
    raises torch's error; an op that saves nothing (w + x) or records
    nothing (x.sin()) works and its result is a normal tensor."""
    def fn(L):
        with L.inference_mode():
            x = L.tensor([1.0, 2.0, 3.0])
            s = L.tensor(2.0)
        w = L.tensor([0.5, -1.0, 2.0], requires_grad=True)
        w0 = L.tensor(1.5, requires_grad=True)
        r = INFERENCE_USES[use](L, w, w0, x, s)
        return r.is_inference() if r is not None else None
    if use in ("add", "sub_0d", "sin"):
        t, j = both(fn)
        assert t == j is False
    else:
        raises_same(fn)


# ----- fuzzer, fresh seeds -----

@pytest.mark.parametrize("case", range(6))
def test_advanced_index_into_empty_dimension(case):
    """An index tensor into a dimension of size 0 raises torch's IndexError
    even when the result would be empty (seed 902449: outer(e, e)[[0, 0]]);
    an empty index or an empty other dimension reads nothing, no error."""
    keys = [(0, 0), [0, 0]], [(0,), [0]], [(3, 0), ([0], [0])], [(0, 2), (slice(None), [5])], [(2, 0), [5]], [(0,), []]
    shape, key = keys[case]

    def fn(L):
        return L.zeros(shape)[key]

    def put(L):
        x = L.zeros(shape)
        x[key] = 1.0
        return x
    if case < 3:
        raises_same(fn)
        raises_same(put)
    else:
        same(*both(fn))


def test_create_graph_through_views_of_empty_tensors():
    """create_graph through a view read of an empty gradient (stack of the
    nan of an empty l1_loss; seeds 922909, 909545): torch's values, no
    error from jitgrad's graph-connected zeros."""
    def fn(L):
        v1 = L.tensor(-0.5, dtype=L.float32, requires_grad=True)
        v2 = L.tensor([[-1.0], [0.25], [1.0]], dtype=L.float64, requires_grad=True)
        v3 = L.nn.functional.l1_loss(L.tensor([], dtype=L.float32), v2)
        v5 = v3 * v3
        loss = -1.0 * v2.sum() + 1.0 * v1.sum() + 1.0 * L.stack([v5, v5]).sum()
        gs = L.autograd.grad(loss, [v1, v2], create_graph=True)
        sum((g ** 2).sum() for g in gs).backward()
        return list(gs) + [v1.grad, v2.grad]
    with np.errstate(all="ignore"):
        same(*both(fn))


@pytest.mark.parametrize("create_graph", [False, True])
def test_cumsum_of_a_size_one_dim_passes_the_gradient(create_graph):
    """torch's cumsum_backward passes the gradient on as it is for a dim of
    size 1 (a -0.0 stays; seed 945541: cumsum(-2) of a (1, 3) tensor into
    hypot); longer dims sum from +0.0."""
    def fn(L):
        v0 = L.tensor([[0.0, 2.0, 0.0]], dtype=L.float32, requires_grad=True)
        w = L.tensor([[0.0, 2.0], [1.0, 0.0]], dtype=L.float64, requires_grad=True)
        v3 = L.hypot(v0.cumsum(-2), L.hypot(v0, L.tensor(-1.0)))
        loss = -1.0 * v3.sum() + (w.cumsum(0) * -0.0).sum() + (w.cumsum(1) * -0.0).sum()
        gs = L.autograd.grad(loss, [v0, w], create_graph=create_graph)
        return list(gs) + [L.tensor([[-0.0, 1.0]]).cumsum(0), L.tensor([-0.0, -0.0]).cumsum(0)]
    same(*both(fn))


def test_empty_read_adds_torch_zeros():
    """An empty slice's backward (and an empty result's sum_to) adds zeros
    to what its operand already has: torch's -0.0 + 0.0 is +0.0 (seed
    31139: atan2's -0.0 into v0, v0[1:] empty)."""
    def fn(L):
        v0 = L.tensor([-1.0], dtype=L.float64, requires_grad=True)
        v1 = L.tensor(2.0, dtype=L.float64, requires_grad=True)
        v6 = L.remainder(v0[1:], L.atan2(v1, v0))
        v6.sum().backward()
        return v0.grad, v1.grad
    same(*both(fn))


@pytest.mark.parametrize("exponent", ["tensor", "tensor_rg", "number"])
def test_pow_saved_result_inplace_error(exponent):
    """pow(Tensor, Tensor) saves its result whatever requires grad: writing
    the result in place raises torch's error at backward (seed 928808);
    pow(Tensor, Scalar) saves only its input: no error."""
    def fn(L):
        v0 = L.tensor([[-0.0], [1.0], [3.0]], dtype=L.float64, requires_grad=True)
        e = 2.5 if exponent == "number" else L.tensor([0.25, 2.0, -2.0], dtype=L.float64,
                                                      requires_grad=exponent == "tensor_rg")
        v2 = L.pow(v0, e)
        with L.no_grad():
            v2[0] = 5
        (v2 + v0).sum().backward()
        return v0.grad
    if exponent == "number":
        same(*both(fn))
    else:
        raises_same(fn)


def test_pow_node_names():
    """x ** number: PowBackward0; x ** tensor (also 0-d, constant): PowBackward1;
    number ** x: PowBackward2; for 0-d tensors and arrays alike."""
    def fn(L):
        names = []
        for v in (1.5, [1.5, 2.0]):
            x = L.tensor(v, dtype=L.float64, requires_grad=True)
            for y in (x ** 2, x ** 2.5, x.pow(3), x ** L.tensor(2.0, dtype=L.float64), 2 ** x, L.pow(2.0, x)):
                names.append(y.grad_fn.name())
        return names
    t, j = both(fn)
    assert t == j
