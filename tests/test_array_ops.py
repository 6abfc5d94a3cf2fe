"""The lean paths of small float arrays (tensors/array_ops.py: two same-shape
arrays, an array and a Python number, a unary op; reductions' small sum):
the same tape bytes, values, dtypes, grad_fn names and gradients as the
general implementation (arith._binary / arith._unary / reductions._sum_scaled),
the same errors (inference tensors, in-place writes), the tape's rollover,
and torch's values and gradients."""
import math

import numpy as np
import pytest
import torch

import jitgrad
from jitgrad.core import ops as O
from jitgrad.core import tape as T
from jitgrad.functional import reductions
from jitgrad.tensors import arith
from jitgrad.tensors import array_ops as AO

OPERATORS = [  # (operator, op-table spec, backward name, reflected)
    ("__add__", "add", "AddBackward0", False), ("__radd__", "add", "AddBackward0", True),
    ("__sub__", "sub", "SubBackward0", False), ("__rsub__", "sub", "RsubBackward1", True),
    ("__mul__", "mul", "MulBackward0", False), ("__rmul__", "mul", "MulBackward0", True),
    ("__truediv__", "div", "DivBackward0", False),   # (number / x: x.reciprocal() * number, test_known14.py)
    ("__pow__", "pow", "PowBackward0", False), ("__rpow__", "pow", "PowBackward2", True),
]
SPECIALS = [math.inf, -math.inf, math.nan, 0.0, -0.0, 1e-45, 3.4e38, -1e-310]
SHAPES = [(9,), (20,), (3, 4), (2, 3, 5), (256,), (513,), (12,), (40, 40), (4, 7), (512,)]


def _tape_bytes(t):
    tp = t._tape
    return (bytes(tp.rec), bytes(tp.vals), bytes(tp.meta), len(tp.inputs)) if tp is not None else None


def _values(rng, shape, trial, positive=False):
    vals = rng.standard_normal(shape) * 10.0 ** rng.integers(-3, 3, shape)
    if positive:
        vals = np.abs(vals) + 0.1
    if trial % 3:
        vals.reshape(-1)[rng.integers(vals.size)] = SPECIALS[trial % len(SPECIALS)]
    return vals


def _leaf(vals, dtype, rg, transpose):
    """(operand, its leaf): a transposed leaf is a strided operand with a gradient through the view."""
    t = jitgrad.tensor(vals.T.copy() if transpose else vals, dtype=getattr(jitgrad, dtype), requires_grad=rg)
    return (t.t() if transpose else t), t


def _outcome(out, leaves):
    res = [out.dtype, out.shape, out.stride(), out.detach().numpy().tobytes(), out.requires_grad,
           None if out.grad_fn is None else out.grad_fn.name(), _tape_bytes(out)]
    if out.requires_grad:
        out.sum().backward()
        res.append([None if t.grad is None else t.grad.numpy().tobytes() for t in leaves])
    return res


def _fresh_tape():
    jitgrad.tensor(1.0, requires_grad=True).sum().backward()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("operator, op, name, reflected", [o for o in OPERATORS if not o[3]],
                         ids=[o[0] for o in OPERATORS if not o[3]])
def test_pair_same_as_general_path(operator, op, name, reflected, dtype):
    rng = np.random.default_rng(5)
    spec = O.BINARY[op]
    fast = getattr(jitgrad.Tensor, operator)
    tname = "PowBackward1" if op == "pow" else name
    for trial, shape in enumerate(SHAPES * 2):
        transpose = len(shape) == 2 and trial >= len(SHAPES)
        xv, yv = _values(rng, shape, trial, op == "pow"), _values(rng, shape, trial + 1)
        for xrg, yrg, nonleaf, grad_mode in ((True, True, True, True), (True, False, False, True),
                                             (False, True, True, True), (True, True, False, False),
                                             (False, False, False, True), (True, True, False, True)):
            results = []
            for fn in (fast, lambda a, b: arith._binary(spec, a, b, tname)):
                _fresh_tape()
                (x, xl), (y, yl) = _leaf(xv, dtype, xrg, transpose), _leaf(yv, dtype, yrg, False)
                xr = x * 1.0 if nonleaf and xrg else x
                with jitgrad.set_grad_enabled(grad_mode):
                    out = fn(xr, y)
                results.append(_outcome(out, [xl, yl]))
            assert results[0] == results[1], (shape, xrg, yrg, nonleaf, grad_mode, transpose)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("operator, op, name, reflected", OPERATORS, ids=[o[0] for o in OPERATORS])
def test_array_and_number_same_as_general_path(operator, op, name, reflected, dtype):
    rng = np.random.default_rng(7)
    spec = O.BINARY[op]
    fast = getattr(jitgrad.Tensor, operator)
    numbers = [0.01, 3, -2, 0, 0.0, -0.0, 1e-40, 1e39, math.inf, math.nan, 2 ** 60, 1.0000001, 2, 0.5, True]

    def general(x, o):
        return arith._binary(spec, o, x, name) if reflected else arith._binary(spec, x, o, name)

    for trial in range(2 * len(numbers)):
        shape = SHAPES[trial % len(SHAPES)]
        transpose = len(shape) == 2 and trial % 2
        vals = _values(rng, shape, trial, op == "pow" and not reflected)
        number = numbers[trial % len(numbers)]
        for rg, grad_mode in ((True, True), (True, False), (False, True)):
            results = []
            for fn in (fast, general):
                _fresh_tape()
                x, leaf = _leaf(vals, dtype, rg, transpose)
                xr = x * 1 if rg and trial % 2 else x
                with jitgrad.set_grad_enabled(grad_mode):
                    try:
                        out = fn(xr, number)
                    except Exception as e:      # (x - True: refused on both paths)
                        results.append((type(e), str(e)))
                        continue
                results.append(_outcome(out, [leaf]))
            assert results[0] == results[1], (shape, number, rg, grad_mode)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unary_same_as_general_path(dtype):
    rng = np.random.default_rng(3)
    for k, name in enumerate(O.UNARY):
        spec = O.UNARY[name]
        fast = getattr(jitgrad, name)
        shape, big = SHAPES[k % len(SHAPES)], ((40, 40), (513,))[k % 2]     # (past smallmath.ARRAY_MAX too)
        vals, bigvals = _values(rng, shape, k), _values(rng, big, k)
        for rg, grad_mode, transpose in ((True, True, False), (True, False, False), (False, True, False),
                                         (True, True, len(shape) == 2), (True, True, "big")):
            if transpose == "big":
                shape, vals, transpose = big, bigvals, False
            results = []
            method = getattr(jitgrad.Tensor, name, fast)       # (softplus: a function only)
            for fn in (fast, lambda x: arith._unary(spec, x), method):
                _fresh_tape()
                x, leaf = _leaf(vals, dtype, rg, transpose)
                xr = x * 1.0 if rg else x
                with jitgrad.set_grad_enabled(grad_mode):
                    try:
                        out = fn(xr)
                    except Exception as e:      # (an op refusing these values refuses them on both paths)
                        results.append((type(e), str(e)))
                        continue
                results.append(_outcome(out, [leaf]))
            assert results[0] == results[1], (name, shape, rg, grad_mode)
            assert results[0][:6] == results[2][:6], (name, shape, rg, grad_mode)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sum_same_as_general_path(dtype):
    rng = np.random.default_rng(9)
    for trial, shape in enumerate(SHAPES + [(8,), (2, 2, 2)]):
        vals = _values(rng, shape, trial)
        for rg, grad_mode, transpose in ((True, True, False), (True, False, False), (False, True, False),
                                         (True, True, len(shape) == 2)):
            results = []
            for fn in (lambda x: x.sum(), lambda x: jitgrad.sum(x),
                       lambda x: reductions._sum_scaled(x, None, False, x.dtype, 1.0, "SumBackward0")):
                _fresh_tape()
                x, leaf = _leaf(vals, dtype, rg, transpose)
                xr = x * 1.0 if rg and trial % 2 else x
                with jitgrad.set_grad_enabled(grad_mode):
                    out = fn(xr)
                results.append(_outcome(out, [leaf]))
            assert results[0] == results[1] == results[2], (shape, rg, grad_mode, transpose)


def test_lean_paths_match_torch():
    rng = np.random.default_rng(1)
    for dtype in ("float32", "float64"):
        a, b = rng.standard_normal((2, 20))
        got = []
        for m in (jitgrad, torch):
            x = m.tensor(a, dtype=getattr(m, dtype), requires_grad=True)
            y = m.tensor(b, dtype=getattr(m, dtype), requires_grad=True)
            z = ((x * y).sin() + 1.5) ** 2 / (y.exp() - 0.25) - 3.0 * x.tanh()
            loss = z.sum()
            gx, gy = m.autograd.grad(loss, (x, y), create_graph=True)
            (gx * gy).sum().backward()
            got.append([t.detach().numpy() for t in (z, loss, gx, gy, x.grad, y.grad)])
        for u, v in zip(*got):
            np.testing.assert_allclose(u, v, rtol=1e-5 if dtype == "float32" else 1e-12, atol=1e-6)
            assert u.dtype == v.dtype


def test_inference_operand_errors_as_general_path():
    with jitgrad.inference_mode():
        w = jitgrad.ones(12, dtype=jitgrad.float64)
    x = jitgrad.randn(12, dtype=jitgrad.float64, requires_grad=True)
    for fn in (lambda: x * w, lambda: w * x, lambda: x / w, lambda: w / x, lambda: x ** w):
        with pytest.raises(RuntimeError) as fast:
            fn()
        with pytest.raises(RuntimeError) as torch_err:
            with torch.inference_mode():
                tw = torch.ones(12, dtype=torch.float64)
            tx = torch.randn(12, dtype=torch.float64, requires_grad=True)
            {0: lambda: tx * tw}[0]()
        assert str(fast.value) == str(torch_err.value)
    (x + w).sum().backward()        # (add saves nothing: allowed, as torch)
    assert x.grad.tolist() == [1.0] * 12


def test_inference_mode_results_are_inference_tensors():
    x = jitgrad.randn(12, dtype=jitgrad.float64, requires_grad=True)
    with jitgrad.inference_mode():
        outs = [x * x, x + 2.0, 2.0 - x, x.sin(), x.sum()]
    for o, t in zip(outs, (torch.randn(3) for _ in outs)):
        assert o.is_inference() and not o.requires_grad and o.grad_fn is None


def test_inplace_write_after_lean_op_raises_torchs_error():
    errors = []
    for m in (jitgrad, torch):
        x = m.randn(12, dtype=m.float64, requires_grad=True)
        a = x * 1.0
        b = a.sin()
        c = (a * a + 1.0).sum() + b.sum()
        a.mul_(2.0)
        with pytest.raises(RuntimeError) as err:
            c.backward()
        errors.append(str(err.value).split(" is at version")[0].split(": ")[-1])
    assert errors[0] == errors[1]


def test_full_tape_rolls_over_as_general_path(monkeypatch):
    # Past _FULL slots the thread's next op opens a new tape: the lean paths as the general one.
    x = jitgrad.randn(12, dtype=jitgrad.float64, requires_grad=True)
    y = jitgrad.randn(12, dtype=jitgrad.float64, requires_grad=True)
    mul, add, exp = O.BINARY["mul"], O.BINARY["add"], O.UNARY["exp"]
    cases = [(lambda: x * y, lambda: arith._binary(mul, x, y, "MulBackward0")),
             (lambda: x + 1.5, lambda: arith._binary(add, x, 1.5, "AddBackward0")),
             (lambda: x.exp(), lambda: arith._unary(exp, x))]
    for full in (0, 10 ** 9):
        monkeypatch.setattr(AO, "_FULL", full)
        monkeypatch.setattr(arith, "_FULL", full)
        for fast, general in cases:
            states = []
            for fn in (fast, general):
                _fresh_tape()
                out = fn()
                states.append((T.STATE.tape() is None, T.STATE.tape() is out._tape, _tape_bytes(out)))
                out.sum().backward()
                states.append(x.grad.numpy().tobytes())
                x.grad = None
            assert states[0] == states[2] and states[1] == states[3]
            assert states[0][0] == (full == 0)


def test_compiled_function_of_lean_ops_matches_eager():
    def f(x, y):
        return (((x * y).sin() + 1.5) ** 2 / (y.exp() - 0.25) - 3.0 * x.tanh()).sum()

    g = jitgrad.compile(f)
    rng = np.random.default_rng(2)
    for dtype in ("float32", "float64"):
        for trial in range(3):      # the first call records, the others replay
            a, b = rng.standard_normal((2, 20))
            results = []
            for fn in (f, g):
                x = jitgrad.tensor(a, dtype=getattr(jitgrad, dtype), requires_grad=True)
                y = jitgrad.tensor(b, dtype=getattr(jitgrad, dtype), requires_grad=True)
                out = fn(x, y)
                out.backward()
                results.append((out.item(), x.grad.numpy().tobytes(), y.grad.numpy().tobytes()))
            assert results[0] == results[1], (dtype, trial)


def test_number_beyond_float32_range_is_inf_without_a_warning():
    import warnings
    for n in (3, 12):
        for m in (jitgrad, torch):
            x = m.ones(n, dtype=m.float32, requires_grad=True)
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                outs = [x + 1e39, 1e39 - x, x * -1e39]
            assert [o.tolist() for o in outs] == [[math.inf] * n, [math.inf] * n, [-math.inf] * n]


def _host_fields(out):
    """The matmul host records' fields (MatmulBackward), comparable."""
    if out._tape is None:
        return None
    fields = []
    for op in out._tape.host.values():
        got = {k: getattr(op, k, None) for k in type(op).__slots__}
        got["const_info"] = got["const_info"] and got["const_info"][1:]    # (its weak reference: another object)
        got["aval"], got["bval"] = (None if v is None else (v.dtype, v.tobytes()) for v in (got["aval"], got["bval"]))
        fields.append(repr(sorted(got.items())))
    return fields


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matmul_of_a_matrix_same_as_general_path(dtype):
    from jitgrad.functional import products as P
    rng = np.random.default_rng(4)

    def general(a, b):
        sa, sb = P._spec(a), P._spec(b)
        return P._matmul_record(a, b, P._matmul_plan(sa, sb), P._fold(sa, sb))

    for sa, sb, ta in (((8, 20), (20,), False), ((3, 4), (4, 5), False), ((3, 1), (1, 4), False),
                       ((4, 3), (3,), True), ((5, 6), (6, 2), True), ((1, 7), (7, 1), False)):
        av, bv = rng.standard_normal(sa), rng.standard_normal(sb)
        for arg, brg, grad_mode in ((True, True, True), (True, False, True), (False, True, True),
                                    (True, True, False)):
            results = []
            for fn in (lambda a, b: a @ b, jitgrad.matmul, general):
                _fresh_tape()
                (a, al), (b, bl) = _leaf(av, dtype, arg, ta), _leaf(bv, dtype, brg, False)
                with jitgrad.set_grad_enabled(grad_mode):
                    out = fn(a, b)
                results.append(_outcome(out, [al, bl]) + [_host_fields(out)])
            assert results[0] == results[1] == results[2], (sa, sb, ta, arg, brg, grad_mode)


def test_matmul_of_a_matrix_errors_as_torch():
    for sa, sb, da, db in (((3, 4), (5,), "float64", "float64"), ((3, 4), (5, 2), "float64", "float64"),
                           ((3, 4), (4,), "float64", "float32"), ((3, 4), (4, 2), "float32", "float64")):
        msgs = []
        for m in (jitgrad, torch):
            a = m.ones(sa, dtype=getattr(m, da))
            b = m.ones(sb, dtype=getattr(m, db), requires_grad=True)
            with pytest.raises(RuntimeError) as err:
                a @ b
            msgs.append(str(err.value))
        assert msgs[0] == msgs[1]


def test_slice_index_map_is_the_general_map():
    from jitgrad.tensors import views as I
    for shape in ((0,), (1,), (7,), (20,), (3, 4), ()):
        n = int(np.prod(shape))
        keys = [(slice(a, b, c),) for a in (None, 0, 2, -3, 30) for b in (None, 5, -1, -30) for c in (None, 2, -1)]
        for key in keys + [(None,), (Ellipsis,), (slice(1, None), None)]:
            f = I._Basic(key)
            try:
                want = np.asarray(f(np.arange(n).reshape(shape))).reshape(-1)
            except IndexError:
                continue
            got = f.index_map(shape)
            assert got.dtype == want.dtype and got.tolist() == want.tolist(), (shape, key)


def test_slices_and_bias_broadcasts_match_torch():
    rng = np.random.default_rng(6)
    for dtype in ("float32", "float64"):
        a, b, c = rng.standard_normal(20), rng.standard_normal((3, 20)), rng.standard_normal((2, 3, 20))
        got = []
        for m in (jitgrad, torch):
            x, w, u = (m.tensor(v, dtype=getattr(m, dtype), requires_grad=True) for v in (a, b, c))
            y = (x[1:] - x[:-1]).pow(2).sum() + (w + x).sin().sum() + (x[2:9] * x[3:10]).sum() + (u - w).sum()
            y.backward()
            got.append([t.detach().numpy() for t in (y, x.grad, w.grad, u.grad)])
        for p, q in zip(*got):
            np.testing.assert_allclose(p, q, rtol=1e-5 if dtype == "float32" else 1e-12)


def test_small_arrays_scalar_forms_equal_the_kernels_loop():
    # smallmath.unary computes arrays of up to SMALL_MAX elements by Python
    # scalar forwards (float32 step forms: by the kernel's loop): the two agree bit for bit.
    from jitgrad.core import smallmath as SM
    from jitgrad.core.replay_forward import array_values
    rng = np.random.default_rng(8)
    specials = [math.inf, -math.inf, math.nan, 0.0, -0.0, 90.0, -90.0, 1e-40, 88.8, -103.0]
    for name, spec in O.UNARY.items():
        op = spec[0]
        if op not in SM.SMALL_OPS:
            continue
        for dt in (np.float32, np.float64):
            for trial in range(12):
                n = 1 + trial % SM.SMALL_MAX
                xa = (rng.standard_normal(n) * 10.0 ** rng.integers(-3, 3, n)).astype(dt)
                xa[0] = specials[trial % len(specials)]
                xs = xa.tolist()
                form32 = O.F32_FORMS.get(op) if dt is np.float32 else None
                with np.errstate(all="ignore"):
                    py = np.array([form32[0](v) for v in xs] if form32 else [spec[2](v) for v in xs], dt)
                out = np.empty(n, dt)
                array_values(op, xa, SM._NO_Y[np.dtype(dt)], 1, 0, 0.0, dt is np.float32, out)
                assert py.tobytes() == out.tobytes(), (name, dt, xs)
                assert SM.unary(spec[2], xa, np.dtype(dt), op=op).tobytes() == py.tobytes(), (name, dt, xs)


def test_where_routes_match_torch_bit_for_bit():
    # (_record_routes: same-shape sources gather their own positions, broadcast ones sum)
    rng = np.random.default_rng(12)
    a0, b0, r0 = rng.standard_normal((5, 6)), rng.standard_normal((5, 6)), rng.standard_normal(6)
    a0[0, :3] = [-0.0, 0.0, math.nan]
    cond = a0 > 0.1
    w0 = np.where(rng.random((5, 6)) > 0.5, -0.0, 1.5)      # (-0.0 gradients: summed routes give +0.0)
    for dtype in ("float32", "float64"):
        got = []
        for m in (jitgrad, torch):
            a, b, r = (m.tensor(v, dtype=getattr(m, dtype), requires_grad=True) for v in (a0, b0, r0))
            c = m.tensor(cond)
            outs = [m.where(c, a, b), m.where(c, a, 0.0), m.where(c, 2.0, b), m.where(c, r, a), a.triu(1),
                    a.tril(-1), m.clamp(a, b, r), m.where(c[0], r, -0.0)]
            w = m.tensor(w0, dtype=getattr(m, dtype))
            total = sum((o * w).sum() for o in outs)
            total.backward()
            got.append([np.asarray(o.detach().numpy()).tobytes() for o in outs]
                       + [t.grad.numpy().tobytes() for t in (a, b, r)])
        assert got[0] == got[1], dtype


def test_sums_over_dims_of_one_shape_in_several_layouts_match_torch():
    # (torch_sum.sum_dims keeps TensorIterator's loops per shape, strides and dims)
    rng = np.random.default_rng(13)
    base = (rng.standard_normal((6, 40, 9)) * 10.0 ** rng.integers(-4, 4, (6, 40, 9))).astype(np.float32)
    views = [lambda a: a, lambda a: a.permute(1, 0, 2), lambda a: a[:, ::2], lambda a: a.permute(2, 1, 0),
             lambda a: a]
    for dims in ((0,), (1,), (2,), (0, 2), (1, 2)):
        for view in views:
            got = [view(m.tensor(base)).sum(dims).numpy().tobytes() for m in (jitgrad, torch)]
            assert got[0] == got[1], dims
    frozen = base.copy()
    frozen.setflags(write=False)
    from jitgrad.core import torch_sum as TS
    assert TS.sum_dims(frozen, (1,), False).tobytes() == torch.tensor(base).sum(1).numpy().tobytes()


def test_split_pieces_index_map_kept_per_shape_same_tape():
    from jitgrad.functional import shapes as S
    rng = np.random.default_rng(14)
    for shape, d, sizes in (((1, 24), 1, [8, 8, 8]), ((2, 24), 1, [8, 8, 8]), ((24, 2), 0, [8, 8, 8]),
                            ((3, 5, 4), 1, [2, 2, 1]), ((1, 24), 1, [8, 8, 8]), ((6,), 0, [4, 2])):
        vals = rng.standard_normal(shape)
        results = []
        for keyed in (True, False, True):
            _fresh_tape()
            leaf = jitgrad.tensor(vals, requires_grad=True)
            x = leaf * 1.0
            fns, start = [], 0
            for s in sizes:
                fns.append(S._along(d, slice(start, start + s)))
                start += s
            outs = (S._pieces(x, d, sizes, "SplitBackward0") if keyed
                    else S._multi_view(x, fns, "SplitBackward0"))
            total = sum((o * (k + 1.5)).sum() for k, o in enumerate(outs))
            tape = _tape_bytes(outs[0])
            total.backward()
            results.append((tape, [o.detach().numpy().tobytes() for o in outs], leaf.grad.numpy().tobytes()))
        assert results[0] == results[1] == results[2], (shape, d, sizes)
