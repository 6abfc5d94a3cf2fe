"""x[key] and x[key] = v against PyTorch: integers (negative too), slices
with steps, None, Ellipsis, bool scalars, masks, index tensors and lists,
and their combinations (PyTorch's rule: integers select first, advanced
dims placed as NumPy does); values, dtypes, grad_fn names, gradients to x
and to the assigned value (CopySlices, IndexPutBackward0), PyTorch's errors,
and tensors left untouched by a failed assignment. Random keys come from
hypothesis; finite differences need no torch."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jitgrad

from _compare import check, error_of, fd_check

RNG = np.random.default_rng(17)
X = RNG.normal(size=(3, 4, 5))


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def I(*v):   # noqa: E743 - an int64 index tensor of the library in use
    return ("tensor", list(v))


def M(*v):
    return ("mask", list(v))


def build(lib, key):
    """The key with I(...) / M(...) made into tensors of `lib`."""
    if isinstance(key, tuple) and len(key) == 2 and key[0] in ("tensor", "mask"):
        return lib.tensor(key[1], dtype=lib.int64 if key[0] == "tensor" else lib.bool)
    if isinstance(key, (tuple, list)):
        return type(key)(build(lib, k) for k in key)
    return key


S = slice
MASK_34 = [[True, False, True, False], [False, False, True, True], [True, True, True, True]]
KEYS = [
    0, -1, 2, (1, 2), (-1, -2, -5), S(1, None), S(None, None, 2), S(-2, None), S(5, 9), S(2, 1), S(-9, 9),
    (S(None), 1), (S(None), S(1, 4, 2)), (Ellipsis, 1), (1, Ellipsis), (Ellipsis, S(None, None, 3), 0),
    None, (None, 1), (1, None), (S(None), None, S(1, 3)), (None, Ellipsis, None), Ellipsis, (), (S(None),),
    (S(None), S(None)), (S(0, 3), S(None)), (S(0, 3, 1), 0), True, False, (None, True), (0, False),
    I(0, 2, 0), I(-1), (I(0, 1), I(1, 3)), (S(None), I(3, 0)), (I(0, 2), S(None), I(4, 1)), (0, S(None), I(1, 2)),
    (I(1), S(None), 0), (Ellipsis, I(0, 1)), (I([0, 1], [2, 0]),), (I([0, 1], [2, 0]), I(1, 2)),
    (S(1, None), I(0, 0, 2)), (None, I(2, 1)), M(True, False, True), (M(*MASK_34),), (S(None), M(*MASK_34[0])),
    (M(*MASK_34), 1), (0, M(*MASK_34)), (Ellipsis, M(True, False, False, True, True)), M(False, False, False),
    [0, 2], [[0, 1], [1, 2]], [True, False, True], [], ([0, 1], S(None), [1, 2]), ("tensor", 1),
    (I(1), 1), (1, I()), [0, S(None), 1], [I(0, 1), I(2, 3)],
]


@pytest.mark.parametrize("key", KEYS, ids=repr)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_getitem(torch, key, dtype):
    if key == ("tensor", 1):
        check(torch, lambda lib, x: x[lib.tensor(1)], [X], dtype)   # a 0-d index selects
        return
    want = error_of(lambda: torch.tensor(X)[build(torch, key)])
    if want is not None:    # a few keys are errors on purpose
        assert error_of(lambda: jitgrad.tensor(X)[build(jitgrad, key)]) == want
        return
    check(torch, lambda lib, x: x[build(lib, key)], [X], dtype, what=repr(key))


@pytest.mark.parametrize("key", [None, (), Ellipsis, (None, None), True, False, (Ellipsis, None)], ids=repr)
def test_getitem_of_0d(torch, key):
    check(torch, lambda lib, x: x[key], [np.array(1.5)])


GETITEM_ERRORS = [
    3, -4, (0, 5), (0, 0, 0, 0), I(0, 3), I(-4), [0, 5], M(True, False), (S(None), M(True, False)),
    (M(*MASK_34[:2]),), ("tensor_f", 0), 1.5, "a", S(None, None, 0), S(None, None, -1), (I(0, 1), I(0, 1, 2)),
    (0, S(None), I(7)), (I(0), I(0), I(9)), ("int8", 0), ("int16", 0),
]


@pytest.mark.parametrize("key", GETITEM_ERRORS, ids=repr)
def test_getitem_errors(torch, key):
    def case(lib, x):
        if isinstance(key, tuple) and key[0] in ("tensor_f", "int8", "int16"):
            dt = {"tensor_f": lib.float32, "int8": lib.int8, "int16": lib.int16}[key[0]]
            return x[lib.tensor([key[1]], dtype=dt)]
        return x[build(lib, key)]
    want = error_of(lambda: case(torch, torch.tensor(X)))
    assert want is not None
    assert error_of(lambda: case(jitgrad, jitgrad.tensor(X))) == want


@pytest.mark.parametrize("key", [0, S(None), I(0), (0,), [0]], ids=repr)
def test_indexing_a_0d_tensor_errors(torch, key):
    want = error_of(lambda: torch.tensor(1.0)[build(torch, key)])
    assert want is not None and error_of(lambda: jitgrad.tensor(1.0)[build(jitgrad, key)]) == want


# ----- assignment -------------------------------------------------------------------

# (key, shape of the assigned value; None: a Python float)
SET_CASES = [
    (1, (5,)), (1, (4, 5)), (1, ()), (1, None), ((0, 2), (5,)), ((0, 2, 3), ()), (S(1, None), (4, 5)),
    (S(None, None, 2), (1, 4, 1)), ((S(None), 1), (3, 5)), ((Ellipsis, -1), (4,)), (None, (3, 4, 5)),
    (Ellipsis, None), (Ellipsis, (5,)), (S(None), ()), (S(None), (3, 4, 5)), ((), (1, 1, 5)), (True, (4, 5)),
    (M(True, False, True), (2, 4, 5)), (M(True, False, True), ()), ((M(*MASK_34),), (5,)), ((M(*MASK_34),), None),
    (I(2, 0), (2, 4, 5)), (I(2, 0), (1, 5)), ((I(0, 1), I(1, 3)), (2, 5)), ((0, S(None), I(1, 4)), (4, 2)),
    ((I(0, 2), S(None), I(4, 1)), (2, 4)), ((S(1, 3), I(0)), (2, 1, 5)), ([0, 2], (5,)),
    (I(0, 0, 1), (3, 4, 5)), ((I(1, 1, 1), I(2, 2, 0)), (3, 5)), (False, (5,)),
]


@pytest.mark.parametrize("key,vshape", SET_CASES, ids=repr)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_setitem_gradients_reach_both_sides(torch, key, vshape, dtype):
    """y = x * 2; y[key] = v: values, grad_fn and the gradients of x and v."""
    def case(lib, x, v):
        y = x * 2
        y[build(lib, key)] = 0.5 if v is None else v.exp()
        return y
    check(torch, case, [X, None if vshape is None else RNG.normal(size=vshape)], dtype, what=repr(key))


def test_setitem_with_a_value_not_requiring_grad(torch):
    check(torch, lambda lib, x: _set(x * 1, (S(None), 1), lib.ones(3, 5)), [X])
    check(torch, lambda lib, x: _set(lib.zeros(3, 4, 5), 1, x[0].exp()), [X])    # only the value requires grad
    check(torch, lambda lib, x: _set(lib.zeros(3), lib.tensor([True, False, True]), x[0, 0, 0]), [X])


def _set(t, key, value):
    t[key] = value
    return t


def test_assignment_in_a_loop(differential):
    """The notebook pattern: arr[i] = x ** i, then backward through arr."""
    differential(
        """
        x = torch.tensor(1.3, dtype=torch.double, requires_grad=True)
        arr = torch.zeros((5, 1))
        for i in range(5):
            arr[i] = x ** i
        print(arr, arr.grad_fn, arr.is_leaf, arr.dtype)
        arr.sum().backward()
        x.grad
        """,
        """
        w = torch.tensor([1.0, -2.0], requires_grad=True)
        h = torch.zeros(3, 2)
        for i in range(3):
            h[i] = w * i if i else w.exp()
        h[1:, 0] = h[:2, 1] * 2
        (h * torch.arange(6.).reshape(3, 2)).sum().backward()
        print(h)
        w.grad
        """,
    )


def test_setitem_names_and_masks(differential):
    differential(
        """
        x = torch.tensor([[1., -2., 3.], [-4., 5., -6.]], requires_grad=True)
        y = x * 1
        y[y < 0] = 0
        print(y, y.grad_fn)
        z = x * 1
        z[:, 1] = torch.tensor(9.)
        print(z.grad_fn, z.grad_fn.name())
        u = x * 1
        u[...] = 7.
        print(u.grad_fn)
        u[:] = torch.ones(3)
        print(u.grad_fn, u.grad_fn.name())
        (y.sum() + z.sum() + u.sum()).backward()
        x.grad
        """,
        """
        t = torch.tensor(2., requires_grad=True)
        a = t * 3
        a[()] = 5.
        print(a.grad_fn)
        b = t * 3
        b[None] = t * 4
        print(b.grad_fn)
        b.backward()
        t.grad
        """,
    )


SETITEM_ERRORS = [
    (3, "1.0"), ((0, -6), "1.0"), (I(0, 3), "1.0"), (M(True, False), "1.0"), ((0, 0, 0, 0), "1.0"),
    (0, "lib.ones(3)"), (S(0, 2), "lib.ones(3, 4, 5)"), (I(0, 1), "lib.ones(3, 4, 5)"),
    ((M(*MASK_34),), "lib.ones(4)"), (I(0), "lib.ones(2, 4, 5)"), (0, "[1.0, 2.0]"), (0, "'a'"),
    (I(0), "lib.ones(4, 5, dtype=lib.float64)"), (I(0), "lib.ones(5, dtype=lib.int64)"),
    (("tensor_f", 0), "1.0"), (0, "lib.ones(2, 5)"),
]


@pytest.mark.parametrize("key,value", SETITEM_ERRORS, ids=repr)
@pytest.mark.parametrize("leaf", [False, True])
def test_setitem_errors_leave_tensors_untouched(torch, key, value, leaf):
    """A failed x[key] = v raises PyTorch's error and changes neither x, its
    graph, nor any .grad."""
    def case(lib):
        x = lib.tensor(X, requires_grad=True)
        (x * x).sum().backward()
        y = x if leaf else x * 2
        k = lib.tensor([key[1]], dtype=lib.float32) if key == ("tensor_f", 0) else build(lib, key)
        err = error_of(lambda: y.__setitem__(k, eval(value)))
        with lib.no_grad():
            before = y.clone()
        if not leaf:
            y.sum().backward()
        return err, before.numpy(), x.grad.numpy().copy()
    want, got = case(torch), case(jitgrad)
    assert want[0] is not None
    assert got[0] == want[0]
    np.testing.assert_array_equal(got[1], X if leaf else 2 * X)
    np.testing.assert_allclose(got[2], want[2])


def test_setitem_on_leaves(differential):
    differential(
        """
        x = torch.tensor([1., 2., 3.], requires_grad=True)
        x[0] = 5.
        """,
        "x[x > 1] = 0.",
        "x[...] = 0.",
        "x[[0]] = 0.",
        """
        with torch.no_grad():
            x[0] = 5.
            x[x > 2] = -1.
        print(x, x.requires_grad, x.is_leaf, x.grad_fn)
        (x * x).sum().backward()
        x.grad
        """,
        """
        i = torch.tensor([1, 2, 3])
        i[0] = 2.7
        i[1:] = torch.tensor([1.5, -2.5])
        i
        """,
    )


def test_views_see_assignments_to_their_base(differential):
    differential(
        """
        x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
        y = x * 1
        row = y[0]
        col = y[:, 1]
        y[0, 1] = 10.
        print(row, col, row.grad_fn)
        (row * col).sum().backward()
        x.grad
        """,
        """
        z = torch.zeros(3)
        s = z[0]
        z[0] = 4.
        print(s, z)
        """,
    )


# ----- random keys (hypothesis) ----------------------------------------------------

SHAPE = (3, 4, 2)


@st.composite
def random_keys(draw):
    """Mostly valid keys of up to 4 items, with an occasional bad one."""
    items, dim = [], 0
    for _ in range(draw(st.integers(0, 4))):
        size = SHAPE[dim] if dim < len(SHAPE) else 1
        kind = draw(st.sampled_from(["int", "slice", "slice", "none", "ellipsis", "list", "tensor", "mask", "bool"]))
        if kind == "int":
            items.append(draw(st.integers(-size - 1, size)))
        elif kind == "slice":
            bound = st.one_of(st.none(), st.integers(-size - 2, size + 2))
            items.append(slice(draw(bound), draw(bound), draw(st.one_of(st.none(), st.integers(1, 3)))))
        elif kind == "none":
            items.append(None)
            continue
        elif kind == "ellipsis":
            if Ellipsis in items:
                continue
            items.append(Ellipsis)
            continue
        elif kind == "bool":
            items.append(draw(st.booleans()))
            continue
        elif kind in ("list", "tensor"):
            idx = draw(st.lists(st.integers(-size, size - 1), min_size=0, max_size=4))
            items.append(("tensor", idx) if kind == "tensor" and idx else idx)
        else:
            n = builtins_min(draw(st.integers(1, 2)), len(SHAPE) - dim) if dim < len(SHAPE) else 1
            mshape = SHAPE[dim:dim + n] if dim < len(SHAPE) else (1,)
            items.append(("mask", np.asarray(draw(st.lists(st.booleans(), min_size=int(np.prod(mshape)),
                                                             max_size=int(np.prod(mshape))))).reshape(mshape).tolist()))
            dim += n
            continue
        dim += 1
    return tuple(items) if draw(st.booleans()) or len(items) != 1 else items[0]


def builtins_min(a, b):
    return a if a < b else b


ARR = RNG.normal(size=SHAPE)
HYP = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@HYP
@given(key=random_keys(), dtype=st.sampled_from(["float32", "float64"]))
def test_random_getitem_keys(torch, key, dtype):
    want = error_of(lambda: torch.tensor(ARR)[build(torch, key)])
    if want is not None:
        assert error_of(lambda: jitgrad.tensor(ARR)[build(jitgrad, key)]) == want, key
        return
    check(torch, lambda lib, x: x[build(lib, key)], [ARR], dtype, what=repr(key))


@HYP
@given(key=random_keys(), dtype=st.sampled_from(["float32", "float64"]), data=st.data())
def test_random_setitem_keys(torch, key, dtype, data):
    try:
        target = tuple(torch.tensor(ARR)[build(torch, key)].shape)
    except Exception:   # noqa: BLE001 - bad keys are test_random_getitem_keys's business
        return
    # the value: the target's shape, a broadcastable suffix of it, or a scalar
    cut = data.draw(st.integers(0, len(target)))
    vshape = tuple(1 if data.draw(st.booleans()) else s for s in target[cut:])
    value = RNG.normal(size=vshape)

    def case(lib, x, v):
        y = x * 3
        y[build(lib, key)] = v * 2
        return y
    k = build(torch, key)
    idx = [a for a in (k if isinstance(k, tuple) else (k,)) if isinstance(a, (list, torch.Tensor))]
    if len(idx) == 1 and not isinstance(idx[0], list) and idx[0].dtype == torch.int64 and \
            len(set(idx[0].tolist())) != len(idx[0].tolist()):
        return   # duplicated positions: PyTorch doesn't define which write wins
    check(torch, case, [ARR, value], dtype, what=f"{key!r} = value of shape {vshape}")


# ----- finite differences (no torch needed) -----------------------------------------

def test_finite_differences():
    def case(lib, x, v):
        y = x * x
        y[1:, ::2] = v.sin()
        y[y[..., 0] > 0.3] = y[0, 0] * 2
        return y[[2, 0, 2], ..., None] * x[:, [1]].exp().unsqueeze(-1)
    fd_check(case, [X, RNG.normal(size=(2, 2, 5))])


def test_notebook_patterns(differential):
    differential(
        """
        a = torch.ones(2, 2)
        a[0][1] = 5
        a[1, :][0] = 7
        a
        """,
        """
        x = torch.tensor([1., 2., 3.], requires_grad=True)
        (x * x).sum().backward()
        x.grad[0] = 0
        x.data[1] = 10
        x.data.add_(1)
        print(x, x.grad)
        (x * x).sum().backward()
        x.grad
        """,
        """
        x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
        w = torch.tensor([0.5, -1.], requires_grad=True)
        out = torch.zeros(2, 2)
        for i, row in enumerate(x):
            out[i] = row * w
        out.sum().backward()
        print(x.grad, w.grad, out)
        """,
        """
        x = torch.arange(10.)
        x[x % 2 == 0] = -x[x % 2 == 0]
        x[[1, 3]] += 100
        x[-3:] *= 0
        x
        """,
        """
        m = torch.eye(3)
        m[torch.arange(3), torch.arange(3)] = torch.tensor([1., 2., 3.])
        m[:, 0] = m[:, 2]
        m.T
        """,
        """
        x = torch.tensor([1., 2., 3.], requires_grad=True)
        y = x.unsqueeze(1) @ x.unsqueeze(0)
        y[range(3), range(3)]
        """,
        """
        z = torch.tensor(1.)
        v = z.view(1)
        v[0] = 5
        print(z, v)
        z.add_(1)
        print(z, v)
        """,
    )


def test_deprecated_keys_warn_like_pytorch(differential):
    differential(
        """
        x = torch.arange(12.).reshape(3, 4)
        x[[0, slice(None)]]
        """,
        "x[torch.tensor([1, 0, 1], dtype=torch.uint8)]",
        "x['a']",
    )
