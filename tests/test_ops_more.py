"""The breadth added for pasted torch code, against PyTorch: bitwise ops and
operators, torch.X_ in-place functions, the *_copy ops and split aliases,
windows, real-tensor forms of complex functions, frexp / nextafter,
in-place samplers, tensor metadata, constants. Values, dtypes, grad_fn
names, gradients, printing and torch's errors."""
import math
import warnings

import numpy as np
import pytest

import jitgrad
from _compare import check, fd_check, run_both, same_result

torch = pytest.importorskip("torch")
RNG = np.random.default_rng(5)


def both(case):
    return run_both(case)


def printed(case):
    """case(lib) prints the same in both libraries (module name swapped)."""
    got = repr(case(jitgrad)).replace("jitgrad.", "torch.")
    assert got == repr(case(torch)), got


# ----- bitwise ----------------------------------------------------------------

def _ints(lib):
    return (lib.tensor([1, 2, 3, -7, 0]), lib.tensor([3, 1, 2, 1, 5]), lib.tensor([True, False, True, False, True]),
            lib.tensor([5, -128, 127, 1, 0], dtype=lib.int8), lib.tensor([200, 3, 1, 255, 0], dtype=lib.uint8),
            lib.tensor([1.5, 2.0, 0.0, 1.0, 3.0]))


BITWISE = [
    lambda L, a, b, t, i8, u8, f: L.bitwise_and(a, b),
    lambda L, a, b, t, i8, u8, f: L.bitwise_or(a, 6),
    lambda L, a, b, t, i8, u8, f: L.bitwise_xor(3, a),
    lambda L, a, b, t, i8, u8, f: L.bitwise_not(a),
    lambda L, a, b, t, i8, u8, f: L.bitwise_not(t),
    lambda L, a, b, t, i8, u8, f: L.bitwise_and(t, t.flip(0)),
    lambda L, a, b, t, i8, u8, f: L.bitwise_or(t, 2),
    lambda L, a, b, t, i8, u8, f: L.bitwise_and(a, True),
    lambda L, a, b, t, i8, u8, f: a.bitwise_xor(L.tensor(True)),
    lambda L, a, b, t, i8, u8, f: L.bitwise_left_shift(a, b),
    lambda L, a, b, t, i8, u8, f: L.bitwise_right_shift(a, 1),
    lambda L, a, b, t, i8, u8, f: a << b,
    lambda L, a, b, t, i8, u8, f: a >> b,
    lambda L, a, b, t, i8, u8, f: 1 << a.abs(),
    lambda L, a, b, t, i8, u8, f: 100 >> b,
    lambda L, a, b, t, i8, u8, f: a << 63,
    lambda L, a, b, t, i8, u8, f: a << 64,
    lambda L, a, b, t, i8, u8, f: a >> -1,
    lambda L, a, b, t, i8, u8, f: a >> 70,
    lambda L, a, b, t, i8, u8, f: i8 << 7,
    lambda L, a, b, t, i8, u8, f: i8 >> 1,
    lambda L, a, b, t, i8, u8, f: i8 << 9,
    lambda L, a, b, t, i8, u8, f: u8 << 1,
    lambda L, a, b, t, i8, u8, f: u8 >> 9,
    lambda L, a, b, t, i8, u8, f: t << 1,
    lambda L, a, b, t, i8, u8, f: i8 << a,
    lambda L, a, b, t, i8, u8, f: i8 & u8,
    lambda L, a, b, t, i8, u8, f: a & b,
    lambda L, a, b, t, i8, u8, f: a | 1,
    lambda L, a, b, t, i8, u8, f: ~i8,
    lambda L, a, b, t, i8, u8, f: L.tensor(5) << L.tensor([1, 2]),
    # errors
    lambda L, a, b, t, i8, u8, f: L.bitwise_and(f, 1),
    lambda L, a, b, t, i8, u8, f: L.bitwise_and(a, 2.0),
    lambda L, a, b, t, i8, u8, f: L.bitwise_not(f),
    lambda L, a, b, t, i8, u8, f: L.bitwise_left_shift(f, 1),
    lambda L, a, b, t, i8, u8, f: a << 1.5,
    lambda L, a, b, t, i8, u8, f: 3.5 << a,
    lambda L, a, b, t, i8, u8, f: t << t,
    lambda L, a, b, t, i8, u8, f: t >> t,
    lambda L, a, b, t, i8, u8, f: f & 1,
    lambda L, a, b, t, i8, u8, f: ~f,
    lambda L, a, b, t, i8, u8, f: L.bitwise_and(1, 2),
    lambda L, a, b, t, i8, u8, f: L.bitwise_right_shift(a, L.tensor([1, 2])),
]


@pytest.mark.parametrize("k", range(len(BITWISE)))
def test_bitwise(k):
    both(lambda L: BITWISE[k](L, *_ints(L)))


INPLACE_BITWISE = [
    lambda a, b, t: a.bitwise_and_(b),
    lambda a, b, t: a.bitwise_or_(4),
    lambda a, b, t: a.bitwise_xor_(b),
    lambda a, b, t: a.bitwise_not_(),
    lambda a, b, t: a.bitwise_left_shift_(b),
    lambda a, b, t: a.bitwise_right_shift_(1),
    lambda a, b, t: a.__ilshift__(2),
    lambda a, b, t: a.__irshift__(b),
    lambda a, b, t: a.__iand__(b),
    lambda a, b, t: a.__ior__(b),
    lambda a, b, t: a.__ixor__(7),
    lambda a, b, t: t.__iand__(t.flip(0)),
    lambda a, b, t: a.bitwise_and_(1.5),
    lambda a, b, t: t.bitwise_and_(1),
    lambda a, b, t: t.bitwise_or_(True),
]


@pytest.mark.parametrize("k", range(len(INPLACE_BITWISE)))
def test_bitwise_inplace_writes_into_self(k):
    def case(L):
        a, b, t = L.tensor([1, 2, 3, -7]), L.tensor([3, 1, 2, 1]), L.tensor([True, False, True, True])
        alias_a, alias_t = a[:], t[:]
        res = INPLACE_BITWISE[k](a, b, t)
        assert res is a or res is t
        return res, alias_a, alias_t, a._version if L is torch else a._version
    both(case)


def test_augmented_assignment_operators_keep_aliases():
    def case(L):
        a = L.tensor([12, 5, 9])
        view = a[1:]
        a &= L.tensor([4, 4, 8])
        a |= 1
        a ^= 3
        a <<= 2
        a >>= 1
        return a, view
    both(case)


# ----- torch.X_ in-place functions -----------------------------------------------

INPLACE_FUNCTIONS = [
    ("abs_", ()), ("acos_", ()), ("asin_", ()), ("atan_", ()), ("ceil_", ()), ("clamp_", (-0.2, 0.3)),
    ("clamp_min_", (0.1,)), ("clamp_max_", (0.1,)), ("clip_", (-0.1, 0.1)), ("cos_", ()), ("cosh_", ()),
    ("deg2rad_", ()), ("erf_", ()), ("erfc_", ()), ("exp_", ()), ("exp2_", ()), ("expm1_", ()), ("fill_", (2.5,)),
    ("fix_", ()), ("floor_", ()), ("frac_", ()), ("log1p_", ()), ("neg_", ()), ("negative_", ()),
    ("rad2deg_", ()), ("reciprocal_", ()), ("relu_", ()), ("round_", ()), ("rsqrt_", ()), ("sigmoid_", ()),
    ("sin_", ()), ("sinc_", ()), ("sinh_", ()), ("sqrt_", ()), ("square_", ()), ("tan_", ()), ("tanh_", ()),
    ("trunc_", ()), ("zero_", ()), ("nan_to_num_", ()), ("i0_", ()), ("logit_", ()), ("arcsinh_", ()),
    ("atanh_", ()), ("xlogy_", (2.0,)), ("ldexp_", None),
]


@pytest.mark.parametrize("name,args", INPLACE_FUNCTIONS, ids=[n for n, _ in INPLACE_FUNCTIONS])
def test_torch_inplace_functions(name, args):
    base = np.array([0.3, 0.7, 0.1, 0.45])

    def case(L):
        leaf = L.tensor(base, dtype=L.float64, requires_grad=True)
        x = leaf * 1.0
        extra = (L.tensor([1.0, 2.0, 0.0, -1.0], dtype=L.float64),) if args is None else args
        out = getattr(L, name)(x, *extra)
        assert out is x
        out.sum().backward()
        return out, leaf.grad
    both(case)


def test_torch_inplace_function_on_integers_and_errors():
    both(lambda L: L.abs_(L.tensor([-3, 2])))
    both(lambda L: L.neg_(L.tensor([1, 2])))
    both(lambda L: L.sqrt_(L.tensor([4, 9])))          # result type Float can't be cast to Long
    both(lambda L: L.exp_(L.tensor([1.0], requires_grad=True)))  # a leaf that requires grad
    both(lambda L: L.abs_([1.0]))


def test_missing_inplace_methods():
    for case in (lambda L: L.tensor([1.0, float("nan"), float("inf")]).nan_to_num_(0.0, 5.0),
                 lambda L: L.tensor([0.5, 1.5]).polygamma_(1),
                 lambda L: L.tensor([2.5, 3.0]).mvlgamma_(2),
                 lambda L: L.tensor([0.5, -1.5]).arctan2_(L.tensor([1.0, 2.0])),
                 lambda L: L.tensor([1.0, -2.0, 0.3, -0.2]).hardshrink(0.5),
                 lambda L: L.hardshrink(L.tensor([1.0, -2.0, 0.3]), 0.5)):
        both(case)
    check(torch, lambda L, x: L.hardshrink(x, 0.4), [np.array([1.0, -2.0, 0.3, -0.1, 0.8])])
    check(torch, lambda L, x: (x * 1).polygamma_(2), [np.array([0.5, 1.5, 3.0])])
    check(torch, lambda L, x: (x * 1).i0_(), [np.array([0.5, 1.5, -3.0])])


# ----- *_copy, split aliases ------------------------------------------------------

COPIES = {
    "view_copy": lambda L, x: L.view_copy(x, (3, 4)),
    "transpose_copy": lambda L, x: L.transpose_copy(x, 0, 1),
    "permute_copy": lambda L, x: L.permute_copy(x, (1, 0)),
    "squeeze_copy": lambda L, x: L.squeeze_copy(x.unsqueeze(0)),
    "squeeze_copy_dim": lambda L, x: L.squeeze_copy(x.unsqueeze(1), 1),
    "squeeze_copy_dims": lambda L, x: L.squeeze_copy(x.unsqueeze(1), (1,)),
    "unsqueeze_copy": lambda L, x: L.unsqueeze_copy(x, 1),
    "expand_copy": lambda L, x: L.expand_copy(x, (2, 4, 3)),
    "select_copy": lambda L, x: L.select_copy(x, 1, 2),
    "slice_copy": lambda L, x: L.slice_copy(x, 0, 1, 3),
    "slice_copy_step": lambda L, x: L.slice_copy(x, 1, None, None, 2),
    "diagonal_copy": lambda L, x: L.diagonal_copy(x, 1),
    "t_copy": lambda L, x: L.t_copy(x),
    "unbind_copy": lambda L, x: L.unbind_copy(x, 1),
    "split_copy": lambda L, x: L.split_copy(x, 3),
    "split_with_sizes_copy": lambda L, x: L.split_with_sizes_copy(x, [1, 2], 1),
    "unfold_copy": lambda L, x: L.unfold_copy(x, 0, 2, 1),
    "alias_copy": lambda L, x: L.alias_copy(x),
    "narrow_copy": lambda L, x: L.narrow_copy(x, 0, 1, 2),
    "narrow_copy_method": lambda L, x: x.narrow_copy(1, 1, 2),
    "row_stack": lambda L, x: L.row_stack([x, x * 2]),
    "split_with_sizes": lambda L, x: L.split_with_sizes(x, [3, 1]),
    "split_with_sizes_method": lambda L, x: x.split_with_sizes([2, 1], 1),
    "unsafe_chunk": lambda L, x: L.unsafe_chunk(x, 3),
    "unsafe_chunk_method": lambda L, x: x.unsafe_chunk(2, 1),
    "unsafe_split": lambda L, x: L.unsafe_split(x, 3, 0),
    "unsafe_split_method": lambda L, x: x.unsafe_split(2, 1),
    "unsafe_split_with_sizes": lambda L, x: L.unsafe_split_with_sizes(x, [1, 3]),
}


@pytest.mark.parametrize("name", list(COPIES))
def test_copies(name):
    got = check(torch, COPIES[name], [RNG.normal(size=(4, 3))])
    for g in (got if isinstance(got, list) else [got]):
        assert g._view is None or name in ("split_with_sizes", "split_with_sizes_method")


def test_copies_do_not_alias():
    def case(L):
        x = L.arange(6.0).reshape(2, 3)
        y, z = L.transpose_copy(x, 0, 1), L.narrow_copy(x, 1, 0, 2)
        x.add_(100)
        return y, z, L.detach_copy(x).requires_grad
    both(case)


def test_copy_errors():
    both(lambda L: L.slice_copy(L.ones(3), 0, 0, 2, 0))
    both(lambda L: L.split_with_sizes(L.ones(3), [1, 1]))
    both(lambda L: L.unsafe_chunk(L.ones(3), 0))


# ----- windows --------------------------------------------------------------------

WINDOWS = [("hann_window", {}), ("hamming_window", {}), ("bartlett_window", {}), ("blackman_window", {}),
           ("kaiser_window", {}), ("kaiser_window", {"beta": 5.0}), ("hamming_window", {"alpha": 0.5, "beta": 0.5})]


@pytest.mark.parametrize("name,kw", WINDOWS)
@pytest.mark.parametrize("n", [0, 1, 2, 5, 8])
@pytest.mark.parametrize("periodic", [True, False])
def test_windows(name, kw, n, periodic):
    for dt in ("float32", "float64"):
        same_result(getattr(jitgrad, name)(n, periodic, dtype=getattr(jitgrad, dt), **kw),
                    getattr(torch, name)(n, periodic, dtype=getattr(torch, dt), **kw), rtol=1e-5, atol=1e-6)


def test_window_defaults_printing_and_errors():
    printed(lambda L: L.hann_window(5))
    printed(lambda L: L.hamming_window(4, requires_grad=True))
    both(lambda L: L.hann_window(-1))
    both(lambda L: L.hann_window(4, dtype=L.long))
    both(lambda L: L.blackman_window(2.5))


# ----- complex-number functions on real tensors, frexp, nextafter ------------------

def test_real_tensor_complex_functions():
    def case(L):
        x = L.tensor([1.0, -2.0, 0.0, -0.0], requires_grad=True)
        return (L.real(x) is x, L.conj(x) is x, x.conj() is x, L.resolve_conj(x) is x, L.resolve_neg(x) is x,
                L.is_conj(x), L.is_neg(x), x.is_conj(), x.is_neg(), x.real is x, L.conj_physical(x) is x,
                L.is_complex(x))
    both(case)
    both(lambda L: L.imag(L.ones(2)))
    both(lambda L: L.ones(2).imag)


def test_angle():
    check(torch, lambda L, x: L.angle(x), [np.array([1.0, -2.0, 0.5, -0.1])])
    check(torch, lambda L, x: x.angle(), [np.array([1.0, -2.0])], dtype="float32")
    both(lambda L: L.angle(L.tensor([3, -1, 0])))
    both(lambda L: L.angle(L.tensor([float("nan"), -0.0, -math.inf])))


def test_frexp():
    printed(lambda L: L.frexp(L.tensor([8.0, 0.3, -5.0, 0.0])))
    printed(lambda L: L.frexp(L.tensor([1.0, 2.0], dtype=L.float64)))
    printed(lambda L: L.frexp(L.tensor([math.inf, math.nan])))
    both(lambda L: L.frexp(L.tensor([3, 4])))
    both(lambda L: tuple(L.tensor([0.75, 6.0]).frexp()))
    both(lambda L: L.frexp(L.tensor([0.75, 6.0])).exponent)
    check(torch, lambda L, x: L.frexp(x).mantissa, [np.array([3.0, 0.1, -7.5])])
    fd_check(lambda L, x: L.frexp(x).mantissa * x, [np.array([3.0, 0.1, -7.5])])


def test_nextafter_gradient_and_subnormal_frexp():
    check(torch, lambda L, a, b: L.nextafter(a, b) * 1, [np.array([1.0, -2.0, 0.0]), np.array([2.0, 2.0, -1.0])])
    both(lambda L: L.nextafter(L.tensor([1.0, -L.inf, 5e-324], dtype=L.float64, requires_grad=True),
                               L.tensor([L.inf, 0.0, -1.0], dtype=L.float64, requires_grad=True)))
    both(lambda L: L.frexp(L.tensor([1e-40, 3.0, -2e-39])))


def test_nextafter():
    both(lambda L: L.nextafter(L.tensor([1.0, 2.0, 0.0]), L.tensor([2.0, 1.0, -1.0])) - L.tensor([1.0, 2.0, 0.0]))
    both(lambda L: L.nextafter(L.tensor([1.0], dtype=L.float64), L.tensor([2.0], dtype=L.float64)) - 1)
    both(lambda L: L.nextafter(L.tensor([1, 2]), L.tensor([2, 1])))
    both(lambda L: L.tensor([1.0, 3.0]).nextafter_(L.tensor([0.0, 5.0])) - L.tensor([1.0, 3.0]))


def test_is_signed_can_cast():
    def case(L):
        return ([L.is_signed(L.ones(1, dtype=d)) for d in (L.float32, L.int64, L.uint8, L.bool, L.int8)],
                [L.ones(1, dtype=d).is_signed() for d in (L.float64, L.uint8)],
                [L.can_cast(a, b) for a in (L.float64, L.float32, L.int32, L.int64, L.uint8, L.bool)
                 for b in (L.float32, L.int8, L.bool, L.int64)])
    both(case)


# ----- samplers ----------------------------------------------------------------

def test_sampler_shapes_dtypes_and_ranges():
    jitgrad.manual_seed(0)
    x = jitgrad.zeros(2000, dtype=jitgrad.float64)
    assert x.exponential_(2.0) is x and x.dtype is jitgrad.float64 and (x.numpy() >= 0).all()
    assert abs(x.numpy().mean() - 0.5) < 0.05
    x.geometric_(0.25)
    assert (x.numpy() >= 1).all() and np.allclose(x.numpy(), np.round(x.numpy())) and abs(x.numpy().mean() - 4) < 0.4
    x.log_normal_(0.0, 0.5)
    assert (x.numpy() > 0).all() and abs(np.log(x.numpy()).std() - 0.5) < 0.05
    x.cauchy_(1.0, 0.1)
    assert abs(np.median(x.numpy()) - 1.0) < 0.05
    i = jitgrad.zeros(1000, dtype=jitgrad.int64).random_(3, 7)
    assert i.dtype is jitgrad.int64 and set(np.unique(i.numpy())) == {3, 4, 5, 6}
    assert set(np.unique(jitgrad.zeros(500).random_(4).numpy())) == {0.0, 1.0, 2.0, 3.0}
    assert set(np.unique(jitgrad.zeros(100, dtype=jitgrad.bool).random_().numpy())) == {False, True}
    u = jitgrad.zeros(2000, dtype=jitgrad.uint8).random_()
    assert u.numpy().max() > 200
    f = jitgrad.zeros(1000).random_()
    assert f.numpy().max() <= 2 ** 24 and f.numpy().max() > 2 ** 20


def test_sampler_generator_reproduces():
    g = jitgrad.Generator().manual_seed(3)
    a = jitgrad.zeros(5).exponential_(generator=g)
    g.manual_seed(3)
    b = jitgrad.zeros(5).exponential_(generator=g)
    assert np.array_equal(a.numpy(), b.numpy())
    jitgrad.manual_seed(4)
    c = jitgrad.zeros(5).random_(10)
    jitgrad.manual_seed(4)
    assert np.array_equal(c.numpy(), jitgrad.zeros(5).random_(10).numpy())


SAMPLER_ERRORS = [
    lambda L: L.zeros(3).random_(5, 3), lambda L: L.zeros(3).random_(3, 3), lambda L: L.zeros(3).random_(-1),
    lambda L: L.zeros(3).random_(1.5), lambda L: L.zeros(3, dtype=L.bool).random_(3),
    lambda L: L.zeros(3, dtype=L.int8).random_(300), lambda L: L.zeros(3).exponential_(0),
    lambda L: L.zeros(3).exponential_(-1), lambda L: L.zeros(3, dtype=L.long).exponential_(),
    lambda L: L.zeros(3).cauchy_(0, 0), lambda L: L.zeros(3, dtype=L.long).cauchy_(),
    lambda L: L.zeros(3).geometric_(0), lambda L: L.zeros(3).geometric_(1.5),
    lambda L: L.zeros(3, dtype=L.bool).geometric_(0.5), lambda L: L.zeros(3).log_normal_(1, 0),
    lambda L: L.zeros(3, dtype=L.long).log_normal_(), lambda L: L.zeros(2, requires_grad=True).exponential_(),
    lambda L: L.zeros(2, requires_grad=True).random_(),
]


@pytest.mark.parametrize("k", range(len(SAMPLER_ERRORS)))
def test_sampler_errors(k):
    both(SAMPLER_ERRORS[k])


def test_sampler_grad_fn_names_and_zero_gradient():
    def case(L):
        leaf = L.ones(3, requires_grad=True)
        outs = []
        for fill in (lambda t: t.random_(), lambda t: t.random_(5), lambda t: t.random_(1, 5),
                     lambda t: t.exponential_(), lambda t: t.cauchy_(), lambda t: t.geometric_(0.3),
                     lambda t: t.log_normal_()):
            t = fill(leaf * 2)
            outs.append(type(t.grad_fn).__name__)
            (t * 0).sum().backward()
        return outs, leaf.grad
    both(case)


def test_map_and_apply():
    both(lambda L: L.tensor([1.0, 2.0]).apply_(lambda v: v * 10 + 1))
    both(lambda L: L.tensor([1, 2]).apply_(lambda v: v * 3))
    both(lambda L: L.zeros(2, 2).map_(L.tensor([1.0, 2.0]), lambda a, b: a + b + 1))
    both(lambda L: L.tensor([1.0], requires_grad=True).apply_(lambda v: v))
    both(lambda L: L.zeros(2).apply_(lambda v: "x"))
    both(lambda L: L.zeros(2).map_(L.ones(3), lambda a, b: a + b))
    both(lambda L: L.zeros(2).map_(L.ones(2, dtype=L.long), lambda a, b: a + b))


# ----- metadata, constants, switches ------------------------------------------------

def test_tensor_metadata():
    def case(L):
        x = L.arange(12.0).reshape(3, 4)
        v = x[1:, 2:]
        a, b = L.ones(4, requires_grad=True).split(2)
        return (v.storage_offset(), x.storage_offset(), x[2].storage_offset(),
                v.data_ptr() - x.data_ptr(), x.t().data_ptr() == x.data_ptr(), x.clone().data_ptr() == x.data_ptr(),
                a.output_nr, b.output_nr, x.output_nr, x.name, x.is_same_size(L.zeros(3, 4)),
                L.is_same_size(x, v), L.tensor([3]).is_nonzero(), L.tensor(0.0).is_nonzero(), x.is_inference())
    both(case)
    both(lambda L: L.ones(2).is_nonzero())
    both(lambda L: L.ones(0).is_nonzero())


def test_resize():
    def case(L):
        x = L.arange(6.0)
        r1 = x.resize_(2, 3).clone()
        r2 = x.resize_((4,)).clone()
        y = L.arange(4)
        y.resize_as_(L.zeros(2, 2))
        return r1, r2, y, x.shape
    both(case)
    both(lambda L: L.ones(2, requires_grad=True).resize_(3))


def test_constants_and_switches():
    def case(L):
        prev = L.is_warn_always_enabled()
        L.set_warn_always(True)
        on = L.is_warn_always_enabled()
        L.set_warn_always(prev)
        L.set_anomaly_enabled(True)
        anomaly = L.is_anomaly_enabled()
        L.set_anomaly_enabled(False)
        return (L.e, L.pi, L.inf, math.isnan(L.nan), L.newaxis, on, L.is_warn_always_enabled(), anomaly,
                L.is_anomaly_enabled())
    both(case)
    assert jitgrad.set_flush_denormal(False) in (True, False)


def test_empty_strided_frombuffer_asarray():
    def case(L):
        e = L.empty_strided((2, 3), (1, 2), dtype=L.float64)
        buf = bytearray(np.arange(4, dtype=np.float32).tobytes())
        fb = L.frombuffer(buf, dtype=L.float32)
        part = L.frombuffer(buf, dtype=L.float32, count=2, offset=4)
        buf[0:4] = np.float32(9).tobytes()
        arr = np.arange(3.0)
        shared = L.asarray(arr)
        arr[0] = 7.0
        x = L.tensor([1.0, 2.0])
        return (tuple(e.shape), e.stride(), e.dtype is L.float64, fb, part, shared, L.asarray(x) is x,
                L.asarray(x, dtype=L.float64), L.asarray([1, 2]), L.asarray(3.5), L.asarray(x, copy=True) is x,
                L.asarray([1.0, 2.0], requires_grad=True))
    both(case)
    both(lambda L: L.empty_strided((2, 3), (1,)))
    both(lambda L: L.frombuffer(bytearray(16), dtype=L.float32, count=5))
    both(lambda L: L.frombuffer(bytearray(b"abc"), dtype=L.float32))
    both(lambda L: L.frombuffer(bytearray(), dtype=L.float32))


def test_ger_method():
    check(torch, lambda L, a, b: a.ger(b), [RNG.normal(size=3), RNG.normal(size=2)])


def test_printing_of_new_results():
    printed(lambda L: L.tensor([1, 2, 3]) << 2)
    printed(lambda L: L.unsafe_chunk(L.arange(4.0, requires_grad=True) * 2, 2))
    printed(lambda L: L.transpose_copy(L.ones(2, 3, requires_grad=True), 0, 1))


def test_warnings_not_raised_by_bitwise():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (jitgrad.tensor([1, 2]) << 1).tolist() == [2, 4]


# ----- post-accumulate-grad hooks -------------------------------------------------

def test_post_accumulate_grad_hook_fires_after_each_accumulation():
    def case(L):
        w = L.ones(2, requires_grad=True)
        log = []
        handle = w.register_post_accumulate_grad_hook(lambda p: log.append(p.grad.clone()))
        (w * 3).sum().backward()
        (w * w + w * 2).sum().backward()           # two paths into w: one accumulation, one call
        L.autograd.grad((w * 2).sum(), w)           # no accumulation: no call
        handle.remove()
        (w * 3).sum().backward()
        return log, w.grad
    both(case)


def test_optimizer_in_backward_idiom():
    def case(L):
        L.manual_seed(0)
        params = [L.nn.Parameter(L.tensor([1.0, -2.0, 0.5])), L.nn.Parameter(L.tensor([[0.3, 0.1]]))]
        opts = {p: L.optim.SGD([p], lr=0.1, momentum=0.9) for p in params}

        def hook(p):
            opts[p].step()
            opts[p].zero_grad()
        for p in params:
            p.register_post_accumulate_grad_hook(hook)
        for _ in range(3):
            ((params[0] ** 2).sum() + (params[1] @ params[0][:2]).sum()).backward()
        return [p.detach().clone() for p in params], [p.grad for p in params]
    both(case)


def test_post_accumulate_hook_on_large_leaf_and_errors():
    def case(L):
        w = L.ones(5000, requires_grad=True)
        seen = []
        w.register_post_accumulate_grad_hook(lambda p: seen.append(float(p.grad.sum())))
        (w.sin() * 2).sum().backward()
        return seen
    run_both(case, same=lambda g, w: np.testing.assert_allclose(g, w, rtol=1e-6))
    both(lambda L: (L.ones(2, requires_grad=True) * 2).register_post_accumulate_grad_hook(print))
    both(lambda L: L.ones(2).register_post_accumulate_grad_hook(print))


def test_more_tensor_metadata_methods():
    def case(L):
        x = L.arange(6.0).reshape(2, 3)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r1, r2 = x.resize(3, 2), x.resize_as(L.ones(6))
        e = x.new_empty_strided((2, 2), (2, 1))
        before = x.is_shared()
        return (x.dim_order(), x.t().dim_order(), before, x.share_memory_() is x, x.is_shared(), x.is_pinned(),
                x.const_data_ptr() == x.data_ptr(), x.is_set_to(x), x.is_set_to(x.clone()), x.is_set_to(x.view(6)),
                tuple(e.shape), e.stride(), str(e.dtype), x.prelu(L.tensor([0.25])) * 1, r1, r2,
                [str(m.message) for m in w])
    both(case)
    both(lambda L: L.ones(2).pin_memory())


def test_complex_only_functions_name_complex_dtypes():
    for name, args in (("polar", (jitgrad.ones(2), jitgrad.ones(2))), ("complex", (jitgrad.ones(2), jitgrad.ones(2))),
                       ("view_as_real", (jitgrad.ones(2),)), ("view_as_complex", (jitgrad.ones(2, 2),))):
        with pytest.raises(NotImplementedError, match="complex"):
            getattr(jitgrad, name)(*args)
    both(lambda L: (L.get_device(L.ones(1)), L.ones(1).get_device()))
