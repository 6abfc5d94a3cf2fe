"""In-place ops against PyTorch: add_, sub_, mul_, div_, zero_, fill_,
copy_, clamp_ and +=, -=, *=, /= on non-leaves (recorded: gradients,
grad_fn names), on leaves under no_grad (value only), PyTorch's errors
(leaf, view of a leaf, multi-output views, dtype casts, broadcasting) with
the tensors and their .grad left untouched; plus finite differences."""
import numpy as np
import pytest

import jitgrad

from _compare import check, error_of, fd_check

RNG = np.random.default_rng(23)
A = RNG.normal(size=(2, 3))
B = RNG.normal(size=(2, 3))


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


OPS = {
    "iadd": lambda y, o: y.__iadd__(o), "isub": lambda y, o: y.__isub__(o),
    "imul": lambda y, o: y.__imul__(o), "idiv": lambda y, o: y.__itruediv__(o),
    "add_": lambda y, o: y.add_(o), "sub_": lambda y, o: y.sub_(o), "mul_": lambda y, o: y.mul_(o),
    "div_": lambda y, o: y.div_(o), "add_alpha": lambda y, o: y.add_(o, alpha=2.5),
    "sub_alpha": lambda y, o: y.sub_(o, alpha=-2), "pow_": lambda y, o: y.pow_(2),
    "div_floor": lambda y, o: y.div_(o, rounding_mode="floor"),
    "copy_": lambda y, o: y.copy_(o), "fill_tensor": lambda y, o: y.fill_(o.sum()),
}
# the other operand: a tensor of y's shape, a broadcast one, a 0-d one, a number
OTHERS = {"same": (2, 3), "row": (3,), "col": (2, 1), "scalar": (), "number": None}


def _other(lib, o, shape):
    return 1.5 if o is None else o


@pytest.mark.parametrize("op", list(OPS))
@pytest.mark.parametrize("other", list(OTHERS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_inplace_on_non_leaves(torch, op, other, dtype):
    """y = a * 1 (a non-leaf); y op= b: y's value, grad_fn, and the
    gradients of a and b."""
    if op == "fill_tensor" and other == "number":
        return

    def case(lib, a, b):
        y = a * 1
        r = OPS[op](y, 1.5 if b is None else b * 1)
        assert r is y
        return y
    shape = OTHERS[other]
    check(torch, case, [A, None if shape is None else RNG.normal(size=shape) + 2.0], dtype, what=op)


NAMED = {
    "zero_": lambda y: y.zero_(), "fill_": lambda y: y.fill_(-2), "fill_bool": lambda y: y.fill_(True),
    "clamp_": lambda y: y.clamp_(-0.5, 0.5), "clamp_min": lambda y: y.clamp_(min=0),
    "clamp_max": lambda y: y.clamp_(max=0.1), "clip_": lambda y: y.clip_(-1, 0),
    "clamp_min_": lambda y: y.clamp_min_(0), "clamp_max_": lambda y: y.clamp_max_(0),
    "exp_": lambda y: y.exp_(), "neg_": lambda y: y.neg_(), "copy_number": lambda y: y.copy_(3.0),
    "chain": lambda y: y.mul_(2).add_(1).clamp_(min=0.5).sub_(0.25),
}


@pytest.mark.parametrize("name", list(NAMED))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_named_inplace_ops(torch, name, dtype):
    check(torch, lambda lib, a: NAMED[name](a * 1), [A], dtype, what=name)
    check(torch, lambda lib, a: NAMED[name](a[0] * 1) * a, [A], dtype, what=name)    # reuse after the op


@pytest.mark.parametrize("name", ["iadd", "imul", "copy_"])
def test_inplace_with_0d_and_empty(torch, name):
    check(torch, lambda lib, a, b: OPS[name](a * 1, b), [np.array(1.5), np.array(-0.5)])
    check(torch, lambda lib, a, b: OPS[name](a * 1, b), [np.zeros((0, 3)), np.ones(3)])


def test_copy_casts_and_broadcasts(torch):
    check(torch, lambda lib, a, b: (a * 1).copy_(b.double()), [A, B[0]], "float32")
    check(torch, lambda lib, a: lib.zeros(2, 3, dtype=lib.float64).copy_(a * 2), [A], "float32")
    check(torch, lambda lib, a: lib.zeros(3, dtype=lib.int64).copy_(a[0] * 10), [A])


def test_tensors_not_requiring_grad_become_non_leaves(differential):
    differential(
        """
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        a = torch.zeros(2)
        a += w * 3
        print(a, a.is_leaf, a.requires_grad)
        b = torch.ones(2)
        b.copy_(w)
        c = torch.ones(2)
        c.mul_(w)
        (a.sum() + b.sum() + (c * c).sum()).backward()
        w.grad
        """,
    )


def test_leaves_under_no_grad(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        (x * x).sum().backward()
        g = x.grad
        with torch.no_grad():
            x -= 0.1 * x.grad
            x.mul_(2).add_(1, alpha=-1)
            x /= torch.tensor([1.0, 2.0, 4.0])
            x.clamp_(max=1.5)
        print(x, x.requires_grad, x.is_leaf, x.grad_fn, x.grad is g)
        """,
        """
        with torch.no_grad():
            x.zero_()
            x.fill_(0.5)
            x.copy_(torch.tensor([1.0, -1.0, 2.0]))
            x[1] = 4.0
        x.grad.zero_()
        (x * x).sum().backward()
        print(x, x.grad)
        """,
    )


# ----- errors ---------------------------------------------------------------------

ERRORS = [
    # (description, code run on x (a leaf requiring grad), y = x * 2, i (int64), b (bool))
    ("leaf +=", "x += 1"), ("leaf add_ tensor", "x.add_(y)"), ("leaf zero_", "x.zero_()"),
    ("leaf fill_", "x.fill_(1)"), ("leaf copy_", "x.copy_(y)"), ("leaf clamp_", "x.clamp_(0, 1)"),
    ("leaf shape", "x.add_(lib.ones(2, 2, 3))"), ("leaf exp_", "x.exp_()"), ("leaf /=", "x /= 2"),
    ("view of leaf", "x[0].mul_(2)"), ("view of leaf setitem", "x[0][1] = 2."), ("view of leaf t", "x.t().zero_()"),
    ("view of leaf reshape", "x.view(6).fill_(0)"), ("int += float", "i += 1.5"), ("int *= float", "i *= 1.5"),
    ("int /= int", "i /= 2"), ("int add_ float tensor", "i.add_(lib.tensor(1.5))"), ("int exp_", "i.exp_()"),
    ("int clamp_ float", "i.clamp_(min=0.5)"), ("int alpha float", "i.add_(1, alpha=1.5)"),
    ("bool += int", "b += 1"), ("broadcast bigger", "y += lib.ones(2, 2, 3)"), ("broadcast bad", "y += lib.ones(2)"),
    ("0-d += vector", "lib.tensor(1.).add_(lib.ones(3))"), ("copy_ bigger", "y.copy_(lib.ones(2, 2, 3))"),
    ("copy_ bad", "y.copy_(lib.ones(4))"), ("copy_ list", "y.copy_([1.0, 2.0])"),
    ("fill_ vector", "y.fill_(lib.ones(2))"),
    ("fill_ str", "y.fill_('a')"), ("expanded", "lib.ones(3).expand(2, 3).add_(1)"),
    ("expanded grad", "y[0:1].expand(2, 3).mul_(2)"), ("unbind", "y.unbind(0)[1].add_(1)"),
    ("split", "y.split([1, 1])[1].sub_(1)"), ("chunk view", "y.chunk(2, 1)[1][0].zero_()"),
    ("iterate", "[r.add_(1) for r in y]"), ("unbind setitem", "y.unbind(1)[0][0] = 1."),
    ("no-grad view", "lib.zeros(2, 3).unbind(0)[1].copy_(y[0])"), ("clamp_ none", "y.clamp_()"),
]


@pytest.mark.parametrize("desc,code", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_leave_tensors_and_grads_untouched(torch, desc, code):
    def case(lib):
        x = lib.tensor(A, requires_grad=True)
        (x * x).sum().backward()
        y = x * 2
        i = lib.tensor([1, 2, 3])
        b = lib.tensor([True, False])
        err = error_of(lambda: exec(code, {"lib": lib, "x": x, "y": y, "i": i, "b": b}))
        y.sum().backward()    # y's graph is intact
        return err, x.detach().numpy().copy(), y.detach().numpy().copy(), i.numpy().copy(), x.grad.numpy().copy()
    want, got = case(torch), case(jitgrad)
    assert want[0] is not None, "torch accepts this"
    assert got[0] == want[0]
    for g, w in zip(got[1:], want[1:]):
        np.testing.assert_allclose(g, w, rtol=1e-6)


def test_version_counter_counts_inplace_ops(torch):
    def case(lib):
        y = lib.tensor(A, requires_grad=True) * 1
        versions = [y._version]
        for op in (lambda: y.add_(1), lambda: y.mul_(2), lambda: y.__setitem__(0, 1.), lambda: y.zero_()):
            op()
            versions.append(y._version)
        return versions
    assert case(jitgrad) == case(torch)


# ----- finite differences (no torch needed) -----------------------------------------

def test_finite_differences():
    def case(lib, a, b):
        y = a * 1
        y *= b
        y += a.exp()
        y /= 1.5 + b * b
        y.sub_(a, alpha=0.5)
        z = lib.zeros(2, 3, dtype=lib.float64)
        z.copy_(y.t().reshape(2, 3))
        z[0].mul_(b[1])
        return z
    fd_check(case, [A, B])


# ----- views and in-place ops (PyTorch's view + in-place semantics) -----------------

def test_inplace_through_views(differential):
    differential(
        """
        x = torch.arange(6.).reshape(2, 3).requires_grad_()
        a = x * 1
        v = a[0]
        v += 1
        print(v.grad_fn, a.grad_fn, v._version, a._version)
        w = a.t()
        w.add_(1)
        r = a.view(6)
        r[0] = 100
        s = a[:, 1:][0]
        s.zero_()
        print(a, r.grad_fn, s.grad_fn)
        (a * torch.arange(6.).reshape(2, 3)).sum().backward()
        x.grad
        """,
        """
        h = torch.zeros(2, 3)
        row = h[1]
        wt = torch.ones(3, requires_grad=True)
        row.copy_(wt * 2)
        print(h, row.grad_fn, h.grad_fn)
        h.sum().backward()
        wt.grad
        """,
        """
        b = x * 1
        u = b[1]
        b.mul_(2)
        print(u, u.grad_fn)
        u.sum().backward()
        x.grad
        """,
        """
        x = torch.tensor([1., 2., 3.], requires_grad=True)
        with torch.no_grad():
            y = x[:2]
            y += 1
        print(x)
        """,
        "y += 1",
        """
        y = x * 1
        y[y > 2] *= 10
        print(y, y.grad_fn)
        y.sum().backward()
        x.grad
        """,
    )


def test_saved_views_are_stale_after_a_write_to_their_base(differential):
    """PyTorch's version counter is shared by a base and its views."""
    differential(
        """
        x = torch.arange(6.).reshape(2, 3).requires_grad_()
        b = x * 1
        u = b[1]
        z = u * u
        b.mul_(2)
        z.sum().backward()
        """,
        """
        y = x.clone()
        y[:, 0] *= 3
        y[1] = y[1] ** 2
        print(y)
        y.sum().backward()
        """,
        """
        x.grad = None
        y = x.clone()
        y[1] = y[1] * 2
        y.sum().backward()
        x.grad
        """,
    )
