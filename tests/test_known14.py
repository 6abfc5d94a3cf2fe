"""Known fidelity gaps (known14), each against torch: number / tensor's
rounding, a compiled clamp's -0.0, vmap's randomness, torch's TypeErrors
for arguments of the wrong type, layouts and forward-mode in-place rules."""
import warnings

import numpy as np
import pytest

import jitgrad

torch = pytest.importorskip("torch")


def _outcome(fn):
    """('ok', printed value) or (error type, message)."""
    try:
        return "ok", repr(fn()).replace("jitgrad.", "torch.")
    except Exception as e:      # noqa: BLE001 (the error is the compared outcome)
        return type(e).__name__, str(e)


def _bits(t):
    a = t.detach().numpy()
    return a.view(np.int32 if a.dtype == np.float32 else np.int64).copy()


# ----- number / tensor is torch's t.reciprocal() * number ----------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n", [0, 3, 40, 5000])
def test_number_over_tensor_bits(dtype, n):
    """Values bit for bit (two roundings, as torch's __rtruediv__); float64
    gradients too (float32 ones: the sweep's float64 products, within an ulp)."""
    rng = np.random.default_rng(n)
    for trial in range(20):
        shape = () if n == 0 else (n,)
        v = (rng.standard_normal(shape) * 10.0 ** rng.integers(-4, 5)).astype(dtype)
        s = float(rng.standard_normal() * 10.0 ** rng.integers(-3, 4)) if trial % 3 else float(trial + 1)
        got = []
        for lib in (torch, jitgrad):
            t = lib.tensor(v, requires_grad=True)
            out = s / t
            out.sum().backward()
            got.append((out, t.grad, type(out.grad_fn).__name__ if lib is torch else out.grad_fn.name()))
        (a, ga, na), (b, gb, nb) = got
        assert np.array_equal(_bits(a), _bits(b)), (s, v)
        assert na == "MulBackward0" and nb.endswith("MulBackward0")
        if dtype == "float64":
            assert np.array_equal(_bits(ga), _bits(gb)), (s, v)
        else:
            np.testing.assert_allclose(gb.numpy(), ga.numpy(), rtol=2e-7, atol=0)


def test_number_over_tensor_graph_and_dtypes():
    for make in (lambda lib: 3 / lib.tensor([2, 3]), lambda lib: 2.5 / lib.tensor([True, False]),
                 lambda lib: True / lib.tensor([2.0, 4.0], dtype=lib.float64),
                 lambda lib: (1 / lib.tensor([2.0, 0.0], requires_grad=True)).grad_fn.next_functions[0][0].name()
                 if lib is jitgrad else type((1 / lib.tensor([2.0, 0.0], requires_grad=True))
                                             .grad_fn.next_functions[0][0]).__name__):
        assert _outcome(lambda: make(torch)) == _outcome(lambda: make(jitgrad))


# ----- a compiled clamp by a float argument keeps -0.0 --------------------------------

def test_compiled_clamp_keeps_negative_zero():
    """A zero-weight route first writes no value: its validation no longer
    fixes the result's start at +0.0 (replayed with max=-0.0 it lost the sign)."""
    def f(y, s):
        return y.clamp(max=s).double() * 2

    cf = jitgrad.compile(f)
    y = jitgrad.tensor([[3.0, 1.0, 1.0], [0.7, -0.047, -1.5]], dtype=jitgrad.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for s in (3.0, -2.0, 0.0, -0.0, 0.0, -0.0, 1.5):
            want, got = f(jitgrad.trace(y), s), cf(jitgrad.trace(y), s)
            assert np.array_equal(_bits(want), _bits(got)), s
        for s in (1.0, 0.0, -0.0, -0.0, 2.0):
            st = jitgrad.tensor(s, dtype=jitgrad.float64)
            want, got = f(jitgrad.tensor(3.0, dtype=jitgrad.float64), st), cf(jitgrad.tensor(3.0, dtype=jitgrad.float64), st)
            assert np.array_equal(_bits(want), _bits(got)), s
    assert cf.eager_calls == 0


def test_compile_fuzz_seed_499478():
    import sys
    import os
    sys.path.insert(0, os.path.dirname(__file__))
    import fuzz_compile
    fuzz_compile.run(499478)


# ----- vmap's randomness --------------------------------------------------------------

def _vmap_cases(lib):
    F = lib.nn.functional

    def several(x):
        return x + lib.rand(3) + lib.randn(3), F.dropout(x, 0.5), lib.bernoulli(lib.full((3,), 0.5))

    def likes(x):
        return x * lib.rand_like(x), lib.randn(()), lib.normal(0., 1., (2,)), lib.randint(0, 5, (3,))

    def with_tensors(x):
        return lib.bernoulli(x * 0.25), lib.rand(2), lib.normal(x, 2.0), F.dropout(x, 0.3, training=True)

    return {"several": several, "likes": likes, "with_tensors": with_tensors,
            "normal_": lambda x: x.clone().normal_(), "bernoulli varied": lambda x: lib.bernoulli(x),
            "unbatched in": lambda x: x * lib.rand(3)}


@pytest.mark.parametrize("mode", ["different", "same", "error", None])
@pytest.mark.parametrize("case", ["several", "likes", "with_tensors", "normal_", "bernoulli varied", "unbatched in"])
def test_vmap_randomness(case, mode):
    got = []
    for lib in (torch, jitgrad):
        fn = _vmap_cases(lib)[case]
        lib.manual_seed(0)
        # (randomness="same" tells a batched tensor parameter by values that differ between points:
        # equal rows, which torch refuses too, are not told apart)
        x = lib.arange(12.0).reshape(4, 3) / 12 if case in ("bernoulli varied", "with_tensors") else lib.ones(4, 3)
        vm = lib.func.vmap(fn, randomness=mode) if mode else lib.func.vmap(fn)
        if case == "unbatched in":
            vm = lib.func.vmap(lambda a, b: a * lib.rand(3) + b, in_dims=(0, None),
                               **({"randomness": mode} if mode else {}))
        try:
            r = vm(x, lib.zeros(3)) if case == "unbatched in" else vm(x)
            r = r if isinstance(r, tuple) else (r,)
            got.append(("ok", [t.tolist() for t in r], lib.rand(2).tolist()))
        except Exception as e:      # noqa: BLE001 (compared)
            got.append((type(e).__name__, str(e), lib.rand(2).tolist()))
    assert got[0] == got[1]


# ----- torch's TypeErrors for arguments of the wrong type ----------------------------

WRONG_TYPES = {
    "add str": lambda lib: lib.add(lib.ones(2), "a"),
    "add None": lambda lib: lib.add(lib.ones(2), None),
    "sub list": lambda lib: lib.sub(lib.ones(2), [1]),
    "mul str": lambda lib: lib.mul(lib.ones(2), "a"),
    "div str": lambda lib: lib.div(lib.ones(2), "a"),
    "x.add str": lambda lib: lib.ones(2).add("a"),
    "x.mul kw": lambda lib: lib.ones(2).mul(other="a"),
    "sum dim str": lambda lib: lib.sum(lib.ones(2), dim="a"),
    "sum dtype str": lambda lib: lib.sum(lib.ones(2), dtype="a"),
    "x.sum str": lambda lib: lib.ones(2).sum("a"),
    "mean dim str": lambda lib: lib.mean(lib.ones(2), dim="a"),
    "clamp min str": lambda lib: lib.clamp(lib.ones(2), min="a"),
    "clamp max str": lambda lib: lib.clamp(lib.ones(2), max="a"),
    "x.clamp min str": lambda lib: lib.ones(2).clamp(min="a"),
    "view str": lambda lib: lib.ones(2).view("a"),
    "view float": lambda lib: lib.ones(2).view(2.0),
    "reshape str": lambda lib: lib.ones(2).reshape("a"),
    "expand str": lambda lib: lib.ones(2).expand("a"),
    "repeat str": lambda lib: lib.ones(2).repeat("a"),
    "permute str": lambda lib: lib.ones(2, 2).permute("a", 0),
    "transpose str": lambda lib: lib.ones(2, 2).transpose("a", 0),
    "unsqueeze str": lambda lib: lib.ones(2).unsqueeze("a"),
    "squeeze str": lambda lib: lib.ones(2).squeeze("a"),
    "flatten str": lambda lib: lib.flatten(lib.ones(2), "a"),
    "softmax str": lambda lib: lib.softmax(lib.ones(2), dim="a"),
    "argmax str": lambda lib: lib.argmax(lib.ones(2), dim="a"),
    "cumsum str": lambda lib: lib.cumsum(lib.ones(2), dim="a"),
    "stack str": lambda lib: lib.stack([lib.ones(2)], dim="a"),
    "cat str": lambda lib: lib.cat("a"),
    "topk str": lambda lib: lib.topk(lib.ones(2), "a"),
    "mm str": lambda lib: lib.mm(lib.ones(2, 2), "a"),
    "matmul str": lambda lib: lib.matmul(lib.ones(2), "a"),
    "pow str": lambda lib: lib.pow(lib.ones(2), "a"),
    "max dim str": lambda lib: lib.max(lib.ones(2), dim="a"),
    "where str": lambda lib: lib.where(lib.ones(2) > 0, lib.ones(2), "a"),
    "permute none": lambda lib: lib.ones(2, 2).permute(),
    "unsqueeze none": lambda lib: lib.ones(2).unsqueeze(),
    "transpose one": lambda lib: lib.transpose(lib.ones(2, 2), 0),
    "topk none": lambda lib: lib.topk(lib.ones(2)),
    "cumsum none": lambda lib: lib.cumsum(lib.ones(2)),
    "stack list element": lambda lib: lib.stack([lib.ones(1), [1.0]]),
    "cat int element": lambda lib: lib.cat([lib.ones(1), 1]),
    "x.sum dim str kw": lambda lib: lib.ones(2).sum(dim="a"),
    "mean dtype str": lambda lib: lib.ones(2).mean(dtype="a"),
    "view varargs str": lambda lib: lib.ones(2, 2).view(2, "a"),
    "view list element": lambda lib: lib.ones(2, 2).view([1, "b"]),
    "view None": lambda lib: lib.ones(2, 2).view(None),
    "expand varargs None": lambda lib: lib.ones(2, 2).expand(2, None),
    "permute list element": lambda lib: lib.ones(2, 2).permute([1, "b"]),
    "repeat varargs float": lambda lib: lib.ones(2, 2).repeat(2, 1.5),
    "squeeze dim kw str": lambda lib: lib.ones(2, 2).squeeze(dim="a"),
    "flatten None": lambda lib: lib.flatten(lib.ones(2, 2), None),
    "topk dim None": lambda lib: lib.topk(lib.ones(2, 2), 1, None),
    "cat dim None": lambda lib: lib.cat([lib.ones(2)], dim=None),
    "sum dim None": lambda lib: lib.sum(lib.ones(2, 2), dim=None),
    "div rounding None": lambda lib: lib.div(lib.ones(2), 2, rounding_mode=None),
    # valid calls that fail for other reasons keep their own errors
    "view bad size": lambda lib: lib.ones(2, 3).t().view(6),
    "sum bad dim": lambda lib: lib.ones(2).sum(3),
    "cat bad shapes": lambda lib: lib.cat([lib.ones(2), lib.ones(2, 2)]),
    "x.view ints": lambda lib: lib.ones(6).view(2, 3),
    "max dim": lambda lib: lib.max(lib.ones(2, 2), dim=1, keepdim=True),
    "clamp tensors": lambda lib: lib.clamp(lib.ones(2), min=lib.zeros(2)),
}


@pytest.mark.parametrize("name", WRONG_TYPES)
def test_wrong_argument_types(name):
    assert _outcome(lambda: WRONG_TYPES[name](torch)) == _outcome(lambda: WRONG_TYPES[name](jitgrad))


# ----- layouts of elementwise results, casts and *_like of views ----------------------

def _view(lib, seed):
    """A view of a small tensor by a seeded walk of permute / unsqueeze /
    transpose / step slices / [None] / squeeze (size-1 dims included)."""
    import random
    r = random.Random(seed)
    shape = r.choice([(2, 3, 4), (1, 3, 4), (2, 1, 4), (3, 1), (1, 4), (2, 3, 1), (1, 1, 3)])
    x = lib.arange(float(np.prod(shape))).reshape(shape)
    for _ in range(r.randint(1, 3)):
        k = r.choice(["perm", "unsq", "t", "slice", "none", "sq"])
        if k == "perm":
            p = list(range(x.ndim))
            r.shuffle(p)
            x = x.permute(*p)
        elif k == "unsq":
            x = x.unsqueeze(r.randint(0, x.ndim))
        elif k == "t" and x.ndim >= 2:
            x = x.transpose(0, x.ndim - 1)
        elif k == "slice" and x.shape[0] > 1:
            x = x[::2]
        elif k == "none":
            x = x[None]
        elif k == "sq":
            x = x.squeeze()
    return x


LAYOUT_OPS = {
    "+1": lambda lib, x: x + 1, "*2.5": lambda lib, x: x * 2.5, "1/": lambda lib, x: 1 / (x + 1),
    "sin": lambda lib, x: x.sin(), "x+x": lambda lib, x: x + x, "neg": lambda lib, x: -x,
    ">3": lambda lib, x: x > 3, "relu": lambda lib, x: lib.relu(x), "double": lambda lib, x: x.double(),
    "clone": lambda lib, x: x.clone(), "zeros_like": lambda lib, x: lib.zeros_like(x),
    "x+c": lambda lib, x: x + x.contiguous(), "c*x": lambda lib, x: x.contiguous() * x,
    "pow2": lambda lib, x: x ** 2, "where": lambda lib, x: lib.where(x > 2, x, 0.0),
    "rg": lambda lib, x: x.detach().requires_grad_() * 2,
}


@pytest.mark.parametrize("op", LAYOUT_OPS)
def test_elementwise_layouts_of_views(op):
    """torch's strides of results (TensorIterator: a fast setup for operands of
    the result's shape, all contiguous: C strides, else theirs; a number is a
    0-d operand: the strides follow the operands', size-1 dims' too;
    empty_like keeps a dense input's own strides)."""
    for seed in range(150):
        got = []
        for lib in (torch, jitgrad):
            x = _view(lib, seed)
            y = LAYOUT_OPS[op](lib, x)
            got.append((tuple(x.stride()), tuple(y.stride()), y.is_contiguous(), tuple(y.shape)))
            vals = y.detach().numpy().astype(np.float64)
        assert got[0] == got[1], seed
        np.testing.assert_allclose(vals, LAYOUT_OPS[op](torch, _view(torch, seed)).detach().numpy(), rtol=1e-6)


def test_permuted_plus_one_strides():
    for lib_pair in ((torch, jitgrad),):
        got = []
        for lib in lib_pair:
            x = lib.arange(24.).reshape(2, 3, 4)
            got.append([(tuple(t.stride()), t.is_contiguous()) for t in (
                x.permute(0, 2, 1) + 1, x.permute(2, 1, 0) * 2, x.permute(1, 0, 2).sin(), x[0].t() + 1,
                x.permute(0, 2, 1).unsqueeze(1) + 1, x[:1].permute(2, 0, 1) + 1, x.permute(0, 2, 1) + lib.ones(3),
                lib.ones(2, 4, 3) + x.permute(0, 2, 1))])
        assert got[0] == got[1]


# ----- vander, bucketize / searchsorted of a number (verified: torch's already) --------

NUMBER_INPUTS = {
    "vander add_": lambda lib: lib.vander(lib.tensor([1., 2., 3.])).add_(1),
    "vander rg mul_": lambda lib: lib.vander(lib.tensor([1., 2., 3.], requires_grad=True)).mul_(2),
    "vander N=0": lambda lib: lib.vander(lib.tensor([1., 2., 3.]), N=0),
    "vander N<0": lambda lib: lib.vander(lib.tensor([1., 2., 3.]), N=-1),
    "vander 2-d": lambda lib: lib.vander(lib.ones(2, 2)),
    "vander 0-d": lambda lib: lib.vander(lib.tensor(2.)),
    "vander int increasing": lambda lib: lib.vander(lib.tensor([1, 2, 3]), increasing=True),
    "bucketize float": lambda lib: lib.bucketize(3.0, lib.tensor([1., 2., 3., 4.])),
    "bucketize int right": lambda lib: lib.bucketize(3, lib.tensor([1., 2., 3., 4.]), right=True),
    "bucketize int32": lambda lib: lib.bucketize(3.5, lib.tensor([1., 2., 3., 4.]), out_int32=True),
    "bucketize bool": lambda lib: lib.bucketize(True, lib.tensor([0., 1., 2.])),
    "searchsorted number": lambda lib: lib.searchsorted(lib.tensor([1., 2., 3., 4.]), 3.0),
    "searchsorted side": lambda lib: lib.searchsorted(lib.tensor([1., 2., 3., 4.]), 2.5, side="right", out_int32=True),
    "searchsorted 2-d": lambda lib: lib.searchsorted(lib.tensor([[1., 2.], [3., 4.]]), 3.0),
    "searchsorted int": lambda lib: lib.searchsorted(lib.tensor([1, 2, 3]), 2.5),
    "searchsorted sorter": lambda lib: lib.searchsorted(lib.tensor([3., 1., 2.]), 2.0, sorter=lib.tensor([1, 2, 0])),
}


@pytest.mark.parametrize("name", NUMBER_INPUTS)
def test_vander_and_number_inputs(name):
    assert _outcome(lambda: NUMBER_INPUTS[name](torch)) == _outcome(lambda: NUMBER_INPUTS[name](jitgrad))


# ----- forward AD: in-place ops of a dual (torch's tangent rule and the tangent tensor) ---

DUAL_INPLACE = ["d.mul_(d)", "d.add_(d)", "d.sub_(d)", "d.mul_(d); d *= d", "d.copy_(d * 2)", "d.mul_(2 * d)",
                "d.add_(d, alpha=2)", "d.sub_(d, alpha=3)", "d.mul_(d[0].clone())", "d.lerp_(d, 0.3)",
                "d.addcdiv_(d, d)", "d.clamp_(min=d)", "d.copysign_(d)", "d.mul_(3.0); d.add_(1.0)"]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("code", DUAL_INPLACE)
def test_dual_inplace_tangents(code, dtype):
    """x.mul_(x) of a dual: torch's formula reads the overwritten primal (t * p + t * p * p);
    the new tangent is written into make_dual's tangent tensor itself."""
    got = []
    for lib in (torch, jitgrad):
        fwAD = lib.autograd.forward_ad
        with fwAD.dual_level():
            p = lib.tensor([1., 2., 3.], dtype=getattr(lib, dtype))
            t = lib.tensor([0.5, -1., 2.], dtype=getattr(lib, dtype))
            d = fwAD.make_dual(p, t)
            y = d * 2      # (a result from before the write keeps its tangent)
            exec(code, {"d": d})
            u = fwAD.unpack_dual(d)
            got.append((u.primal.tolist(), u.tangent.tolist(), t.tolist(), fwAD.unpack_dual(y).tangent.tolist()))
    assert got[0] == got[1]


def test_dual_with_itself_unreproduced_forms_raise():
    """div_ / pow_ of a dual with itself: torch's tangent reads the overwritten
    primal in forms jitgrad's records don't take: a clear error, not another value."""
    fwAD = jitgrad.autograd.forward_ad
    for op in ("div_", "pow_", "atan2_", "hypot_", "fmod_", "xlogy_", "remainder_", "addcmul_"):
        with fwAD.dual_level():
            d = fwAD.make_dual(jitgrad.tensor([1., 2.]), jitgrad.tensor([0.5, 1.]))
            with pytest.raises(NotImplementedError, match="overwritten primal"):
                getattr(d, op)(*((d, d) if op == "addcmul_" else (d,)))
        x = jitgrad.tensor([1., 2.])        # (no dual level: computed)
        getattr(x, op)(*((x, x) if op == "addcmul_" else (x,)))


PARTIAL_OVERLAP = {
    "x[1:].mul_(x[:2])": lambda x: x[1:].mul_(x[:2]), "x[1:].add_(x[:2])": lambda x: x[1:].add_(x[:2]),
    "x[:2].copy_(x[1:])": lambda x: x[:2].copy_(x[1:]), "x[1:].mul_(x[1:])": lambda x: x[1:].mul_(x[1:]),
    "x.add_(x[0])": lambda x: x.add_(x[0]), "x.mul_(x[:1])": lambda x: x.mul_(x[:1]),
    "x[:2].add_(x[2])": lambda x: x[:2].add_(x[2]), "x.add_(x.flip(0))": lambda x: x.add_(x.flip(0)),
    "x.add_(x.view(3))": lambda x: x.add_(x.view(3)), "x.add_(x.detach())": lambda x: x.add_(x.detach()),
    "x.view(3, 1).add_(x.view(1, 3))": lambda x: x.view(3, 1).add_(x.view(1, 3)),
    "x[::2].add_(x[1])": lambda x: x[::2].add_(x[1]),
}


@pytest.mark.parametrize("name", PARTIAL_OVERLAP)
def test_inplace_partial_overlap(name):
    got = []
    for lib in (torch, jitgrad):
        x = lib.tensor([1., 2., 3.])
        got.append((_outcome(lambda: PARTIAL_OVERLAP[name](x)), x.tolist()))
    assert got[0] == got[1]


# ----- nan_to_num's gradient is torch's grad * isfinite(x) ------------------------------

@pytest.mark.parametrize("n", [1, 4, 5000])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_nan_to_num_gradient_signs(n, dtype):
    """-0.0 where a negative gradient meets a non-finite x, nan where an inf
    one does (a where-routing gave +0.0)."""
    v = np.linspace(-1, 1, n)
    v[::3] = np.inf
    v[1::5] = np.nan
    v[2::7] = -np.inf
    w = np.linspace(-2, 3, n)
    w[::4] = np.inf
    got = []
    for lib in (torch, jitgrad):
        x = lib.tensor(v.astype(dtype), requires_grad=True)
        y = x.nan_to_num(posinf=9.0) if n > 1 else x.reshape(()).nan_to_num(posinf=9.0)
        (y * lib.tensor(w.astype(dtype)).reshape(y.shape)).sum().backward()
        got.append((y.detach().numpy().tobytes(), x.grad.numpy().tobytes(), type(y.grad_fn).__name__
                    if lib is torch else y.grad_fn.name().split("::")[-1]))
    assert got[0] == got[1]


def test_nan_to_num_second_order_and_fuzz_seed():
    import os
    import sys
    sys.path.insert(0, os.path.dirname(__file__))
    import fuzz_programs
    fuzz_programs.run(25442922)       # (reciprocal(0) -> nan_to_num -> outer, create_graph: nan everywhere)


def test_compiled_nan_to_num_equals_eager():
    def f(x):
        return (x.nan_to_num(posinf=5.0) * -2).sum()

    cf = jitgrad.compile(f)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for v in ([1., 2., 3.], [float("inf"), 2., -1.], [1., float("nan"), 3.], [4., 5., 6.]):
            a, b = jitgrad.tensor(v, requires_grad=True), jitgrad.tensor(v, requires_grad=True)
            ra, rb = f(a), cf(b)
            ra.backward()
            rb.backward()
            assert _bits(ra).tobytes() == _bits(rb).tobytes() and a.grad.numpy().tobytes() == b.grad.numpy().tobytes()


def _vmap_layout_cases(lib):
    F = lib.nn.functional
    return {
        "in_dims1 dropout": (lambda x: F.dropout(x, 0.5), dict(in_dims=1), lambda: lib.ones(3, 4)),
        "in_dims1 rand_like": (lambda x: x * lib.rand_like(x), dict(in_dims=1), lambda: lib.ones(3, 4)),
        "in_dims1 randn_like": (lambda x: lib.randn_like(x), dict(in_dims=1), lambda: lib.ones(5, 4)),
        "in_dims2 rand_like": (lambda x: lib.rand_like(x), dict(in_dims=2), lambda: lib.ones(2, 3, 4)),
        "in_dims1 rand": (lambda x: x + lib.rand(3), dict(in_dims=1), lambda: lib.ones(3, 4)),
        "out_dims1": (lambda x: x + lib.rand(3), dict(out_dims=1), lambda: lib.ones(4, 3)),
        "chunk_size": (lambda x: x + lib.rand(3), dict(chunk_size=2), lambda: lib.ones(4, 3)),
        "nested": (lambda x: lib.func.vmap(lambda y: y + lib.rand(()), randomness="different")(x), {},
                   lambda: lib.ones(4, 3)),
        "grad of dropout": (lambda x: lib.func.grad(lambda w: (F.dropout(w, 0.5) ** 2).sum())(x), {},
                            lambda: lib.ones(4, 3)),
        "bernoulli in_dims1": (lambda p: lib.bernoulli(p), dict(in_dims=1), lambda: lib.full((3, 4), 0.5)),
        "randn 16+ (vector sampler)": (lambda x: x + lib.randn(5), {}, lambda: lib.ones(4, 5)),
    }


@pytest.mark.parametrize("case", list(_vmap_layout_cases(jitgrad)))
def test_vmap_different_batched_layouts(case):
    got = []
    for lib in (torch, jitgrad):
        f, kw, make = _vmap_layout_cases(lib)[case]
        lib.manual_seed(0)
        got.append((_outcome(lambda: lib.func.vmap(f, randomness="different", **kw)(make()).tolist()),
                    lib.rand(1).item()))
    assert got[0] == got[1]


@pytest.mark.parametrize("mode", ["different", "same"])
def test_jacfwd_and_vmap_grad_randomness(mode):
    got = []
    for lib in (torch, jitgrad):
        lib.manual_seed(0)
        f = lambda x: x * lib.rand(3) + lib.nn.functional.dropout(x, 0.5)      # noqa: E731
        jac = lib.func.jacfwd(f, randomness=mode)(lib.ones(3)).tolist()
        g = lib.func.vmap(lib.func.grad(lambda x: (x * lib.rand(3)).sum()), randomness=mode)(lib.ones(2, 3))
        got.append((jac, g.tolist(), lib.rand(1).item()))
    assert got[0] == got[1]


def test_c_order_of_a_view_with_size_one_strides_keeps_values():
    """A permuted (3, 1) -> (1, 3) view (torch's strides (1, 1)): results laid
    out in C order by its strides (cumprod, masked_fill, ...) keep their
    values (NumPy 2 gives empty arrays zero strides, which C order once read;
    eager fuzz seeds 25602540, 25602077)."""
    for L in (jitgrad, torch):
        w = L.tensor([[3.0], [0.25], [-2.0]], dtype=L.float64)
        v = w.permute(1, 0)
        got = [v.cumprod(0), v.masked_fill(v > 0, 2.0), v.log_softmax(1), v.movedim(0, -1).cumprod(0)]
        if L is jitgrad:
            mine = [g.tolist() for g in got]
            strides = [g.stride() for g in got]
        else:
            assert mine == [g.tolist() for g in got]
            assert strides == [g.stride() for g in got]
