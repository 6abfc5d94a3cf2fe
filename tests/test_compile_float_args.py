"""Python float arguments of compiled functions as tape inputs
(replay/float_args.py): one tape for every value where that is exact, one
tape per value (as before) where the function treats the number as a
number. Every call is compared bit for bit with the uncompiled function."""
import math
import warnings

import numpy as np
import pytest
import torch

import jitgrad as jg


def same(a, b):
    if isinstance(a, jg.Tensor):
        return (isinstance(b, jg.Tensor) and a.dtype is b.dtype and tuple(a.shape) == tuple(b.shape)
                and a.numpy().tobytes() == b.numpy().tobytes())
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and np.float64(a).tobytes() == np.float64(b).tobytes()


def check(fn, calls, **compile_kwargs):
    """fn compiled and not, on every argument tuple in calls: equal bits."""
    cf = jg.compile(fn, **compile_kwargs)
    for args, kwargs in calls:
        assert same(cf(*args, **kwargs), fn(*args, **kwargs)), (args, kwargs)
    return cf


X = jg.linspace(-1.0, 2.0, 7, dtype=jg.float64)


def test_learning_rate_sweep_is_one_tape():
    def step(w, lr):
        return w - lr * (w.sin() * w + 0.5 * w ** 2)
    lrs = [0.001 * (k + 1) for k in range(40)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # no recompile warning
        cf = check(step, [((X, lr), {}) for lr in lrs])
    assert cf.records == 3 and cf.replays == len(lrs) - 2     # (2nd value: as it is, and generic)
    assert "tape inputs in 1 signature" in cf.report()
    # The same sweep under torch: close values.
    t = torch.tensor(X.numpy())
    for lr in lrs[::9]:
        want = t - lr * (t.sin() * t + 0.5 * t ** 2)
        np.testing.assert_allclose(cf(X, lr).numpy(), want.numpy(), rtol=1e-13)


def test_gradient_through_replayed_output_with_float_argument():
    def f(x, k):
        return (k * x.tanh() ** 2).sum() + k * k
    cf = jg.compile(f)
    for k in [0.5, 1.5, -2.0, 3.25]:
        xa = X.clone().requires_grad_(True)
        xb = X.clone().requires_grad_(True)
        ya, yb = cf(xa, k), f(xb, k)
        ya.backward()
        yb.backward()
        assert same(ya.detach(), yb.detach()) and same(xa.grad, xb.grad)
    assert cf.records == 3


def test_value_and_grad_two_float_arguments_positional_and_keyword():
    def energy(x, k, c=0.1):
        return (k * (x[1:] - x[:-1]) ** 2).sum() + c * x.pow(4).sum()
    vg = jg.compile(jg.func.value_and_grad(energy))
    ref = jg.func.value_and_grad(energy)
    calls = [(1.0, 0.1), (2.0, 0.1), (3.5, 0.1), (0.25, 0.2), (1.0, 0.3), (7.0, 0.4), (2.0, 0.1), (-1.0, 0.05)]
    for k, c in calls:
        assert same(vg(X, k, c=c), ref(X, k, c=c))
    assert vg.cf.records == 5          # specialised, k a tape input (2), then c too (2)
    # torch: same gradients within rounding.
    t = torch.tensor(X.numpy(), requires_grad=True)
    e = (2.0 * (t[1:] - t[:-1]) ** 2).sum() + 0.3 * t.pow(4).sum()
    e.backward()
    np.testing.assert_allclose(vg(X, 2.0, c=0.3)[1].numpy(), t.grad.numpy(), rtol=1e-12)


def test_python_read_of_the_number_keeps_one_tape_per_value():
    # math.exp reads the number itself: a tape per value, and the report says why.
    def f(x, lr):
        return x * math.exp(lr)
    cf = check(f, [((X, lr), {}) for lr in [0.1, 0.2, 0.3, 0.4, 0.5, 0.3]])
    assert cf.replays == 1
    assert "a guard on the float" in cf.report()


def test_branch_on_the_number():
    def f(x, a):
        return x * a if a > 0.5 else x - a
    values = [0.1, 0.2, 0.6, 0.9, 0.3, 0.75, 0.5, 0.50000001, 0.0, -3.0]
    cf = check(f, [((X, a), {}) for a in values])
    assert cf.records < len(values)


def test_float32_zero_dim_keeps_the_numbers_promotion():
    # A 0-d float32 tensor times a Python float is float32; times a float64
    # 0-d tensor it would be float64: the number stays a constant.
    x = jg.tensor(1.2345678, dtype=jg.float32)
    cf = check(lambda t, s: t * s + s, [((x, s), {}) for s in [0.1, 0.2, 1e-3, 3.3]])
    assert cf(x, 0.7).dtype is jg.float32


def test_float32_vector_with_float_argument():
    x = jg.linspace(0, 1, 5, dtype=jg.float32)
    check(lambda t, s: (t * s).exp() - s, [((x, s), {}) for s in [0.1, 0.2, 1e-3, 3.3, -2.5]])


@pytest.mark.parametrize("fn", [
    lambda x, s: (x * s, s * 2),                                # returns a Python float
    lambda x, s: x * (s if isinstance(s, float) else 0.15),     # looks at its type
    lambda x, s: x * float(np.float32(s)),                       # NumPy reads it
    lambda x, s: x + round(s, 2),
    lambda x, s: x * (10 ** int(s)),
    lambda x, s: x * f"{s:.3f}".count("5"),
], ids=["returns-float", "isinstance", "numpy", "round", "int", "format"])
def test_number_used_as_a_number_is_exact(fn):
    check(fn, [((X, s), {}) for s in [0.15, 0.25, 1.55, 2.5, 0.155, 12.5]])


def test_int_and_bool_arguments_stay_part_of_the_signature():
    def f(x, n, flag):
        y = x
        for _ in range(n):
            y = y.sin()
        return -y if flag else y
    cf = check(f, [((X, n, b), {}) for n, b in [(1, True), (2, True), (3, False), (2, True)]])
    assert cf.records == 3


def test_random_draws_with_a_float_argument_match_eager_stream():
    def f(x, s):
        return x + s * jg.randn(x.shape, dtype=x.dtype)
    cf = jg.compile(f)
    jg.manual_seed(7)
    got = [cf(X, s) for s in [0.1, 0.2, 0.3, 0.4]]
    jg.manual_seed(7)
    want = [f(X, s) for s in [0.1, 0.2, 0.3, 0.4]]
    assert all(same(a, b) for a, b in zip(got, want))


def test_fixed_shapes_with_changing_float():
    cf = check(lambda x, s: x * s, [((X, s), {}) for s in [1.0, 2.0, 3.0]], fixed_shapes=True)
    assert cf.records == 3
    with pytest.raises(ValueError, match="fixed_shapes"):
        cf(jg.ones(3, dtype=jg.float64), 4.0)


def test_optimizer_loop_with_scheduled_learning_rate():
    # Gradient descent: compiled value-and-gradient, and a compiled update
    # whose step size follows a cosine schedule.
    def loss(w):
        return ((w - 1.5) ** 2).sum() + (w[0] * w[1]).sin()

    def update(w, g, lr, momentum=0.9):
        return w - lr * g * momentum
    vg, cu = jg.compile(jg.func.value_and_grad(loss)), jg.compile(update)
    wa = wb = jg.tensor([0.3, -0.7], dtype=jg.float64)
    for k in range(30):
        lr = 0.05 + 0.05 * math.cos(math.pi * k / 30)
        (la, ga), (lb, gb) = vg(wa), jg.func.value_and_grad(loss)(wb)
        wa, wb = cu(wa, ga, lr), update(wb, gb, lr)
        assert same(la, lb) and same(wa, wb)
    assert cu.records == 3 and vg.cf.records == 1


def test_grad_with_a_leading_float_argument_and_argnums():
    def f(k, x, c):
        return ((k * x).sin() * c).sum()
    g = jg.compile(jg.func.grad(f, argnums=1))
    ref = jg.func.grad(f, argnums=1)
    for k, c in [(0.1, 1.0), (0.2, 1.0), (0.3, 1.0), (0.3, 2.0), (0.4, 3.0), (1.25, -1.0)]:
        assert same(g(k, X, c), ref(k, X, c))
    assert g.cf.replays >= 2


def test_aliased_tensor_arguments_with_a_float():
    def f(a, b, s):
        return a * b + s * a
    cf = check(f, [((X, X, s), {}) for s in [0.5, 1.5, 2.5]] + [((X, X * 2, s), {}) for s in [0.5, 3.5]])
    assert cf.records <= 6


def test_float_inside_a_container_argument():
    def f(x, opts):
        return x * opts["scale"] + opts["shift"][0]
    check(f, [((X, {"scale": s, "shift": [s / 2]}), {}) for s in [0.5, 1.5, 2.5, -3.0]])


def test_value_and_grad_of_a_parameter_dict_with_a_float_penalty():
    # torch.func style: gradients w.r.t. a dict of parameters (functional_call),
    # an L2 penalty weight that changes between calls.
    jg.manual_seed(0)
    model = jg.nn.Sequential(jg.nn.Linear(3, 4), jg.nn.Tanh(), jg.nn.Linear(4, 1)).double()
    x = jg.tensor(np.linspace(-1, 1, 12).reshape(4, 3))

    def loss(p, x, lam):
        out = jg.func.functional_call(model, p, (x,))
        return out.pow(2).mean() + lam * sum((v ** 2).sum() for v in p.values())
    vg = jg.compile(jg.func.value_and_grad(loss))
    ref = jg.func.value_and_grad(loss)
    p = {k: v.detach() for k, v in model.named_parameters()}
    for lam in [0.1, 0.01, 0.2, 0.3, 0.05]:
        (va, ga), (vb, gb) = vg(p, x, lam), ref(p, x, lam)
        assert same(va, vb) and list(ga) == list(gb) and all(same(ga[k], gb[k]) for k in ga)
    assert vg.cf.replays >= 2
    # A list of tensors as the differentiated argument, with argnums=(0, 1).
    g2 = jg.compile(jg.func.grad(lambda ws, b: (ws[0] * ws[1]).sum() * b.sum(), argnums=(0, 1)))
    ws = [X, X * 2]
    (gw, gbias) = g2(ws, X)
    (rw, rbias) = jg.func.grad(lambda ws, b: (ws[0] * ws[1]).sum() * b.sum(), argnums=(0, 1))(ws, X)
    assert isinstance(gw, list) and same(gw[0], rw[0]) and same(gw[1], rw[1]) and same(gbias, rbias)
