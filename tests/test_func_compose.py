"""jitgrad.func transforms against torch.func: each transform, every pair of
nestings (outer(inner(f))), argnums / has_aux / pytrees, vmap's in_dims,
out_dims and randomness, functional_call, and errors."""
import itertools

import numpy as np
import pytest

import jitgrad
from _compare import run_both as _run_both, same_result

torch = pytest.importorskip("torch")
import torch.func  # noqa: E402,F811  (loads the submodule)


def same(got, want, what="value"):
    same_result(got, want, what, rtol=1e-9, atol=1e-12, grad_fn=False, exact_containers=True)


def run_both(case):
    return _run_both(case, same)


def t64(lib, values, rg=False):
    return lib.tensor(np.asarray(values, np.float64), dtype=lib.float64, requires_grad=rg)


def base(lib):
    """Works on any shape (0-d included); output shape = input shape."""
    return lambda x: lib.sin(x) * (x ** 2).sum() + lib.exp(x) * 0.1


def transforms(lib):
    fn = lib.func
    return {
        "grad": lambda h: fn.grad(lambda y: h(y).sum()),
        "jacrev": lambda h: fn.jacrev(h),
        "jacfwd": lambda h: fn.jacfwd(h),
        "vmap": lambda h: fn.vmap(h),
        "jvp": lambda h: (lambda x: fn.jvp(h, (x,), (lib.ones_like(x) * 0.5,))[1]),
        "vjp": lambda h: (lambda x: (lambda out, f: f(lib.ones_like(out))[0])(*fn.vjp(h, x))),
        "hessian": lambda h: fn.hessian(lambda y: h(y).sum()),
    }


NAMES = ["grad", "jacrev", "jacfwd", "vmap", "jvp", "vjp", "hessian"]
X = [0.3, -1.2]


@pytest.mark.parametrize("name", NAMES)
def test_single_transform(name):
    run_both(lambda lib: transforms(lib)[name](base(lib))(t64(lib, X)))


@pytest.mark.parametrize("outer,inner", list(itertools.product(NAMES, NAMES)))
def test_every_pair_of_nestings(outer, inner):
    def case(lib):
        tr = transforms(lib)
        return tr[outer](tr[inner](base(lib)))(t64(lib, X))
    run_both(case)


def test_jvp_of_grad_is_the_hessian_vector_product():
    def case(lib):
        f = lambda x: (lib.sin(x) * x ** 2).sum()    # noqa: E731
        x, v = t64(lib, [1.0, 2.0, 3.0]), t64(lib, [1.0, -1.0, 0.5])
        return lib.func.jvp(lib.func.grad(f), (x,), (v,))
    out = run_both(case)
    assert np.abs(out[1].numpy()).max() > 1.0       # not the zeros of the old bug


def test_three_levels():
    def case(lib):
        f = lambda x: (x.sin() * x.sum()).sum()    # noqa: E731
        fn = lib.func
        x = t64(lib, [[0.5, -0.2], [1.0, 0.3]])
        return fn.grad(lambda y: fn.grad(lambda z: fn.grad(f)(z).sum())(y).sum())(x), \
            fn.vmap(fn.jacrev(fn.grad(f)))(x)
    run_both(case)


def test_grad_of_input_requiring_grad_stays_connected():
    def case(lib):
        x = t64(lib, [0.5, 1.5], rg=True)
        g = lib.func.grad(lambda y: (y ** 3).sum())(x)
        g.sum().backward()
        return g, x.grad
    run_both(case)


def test_argnums_has_aux_and_pytrees():
    def case(lib):
        fn = lib.func
        x, y = t64(lib, [1.0, 2.0]), t64(lib, [0.5, -1.5])

        def f(a, b):
            return (a * b.sin()).sum(), {"aux": a * 2}

        g1 = fn.grad(f, argnums=(0, 1), has_aux=True)(x, y)
        g2 = fn.grad_and_value(f, argnums=1, has_aux=True)(x, y)
        d = fn.grad(lambda p: (p["w"] * p["b"][0]).sum() + p["b"][1].sum())({"w": x, "b": (y, x)})
        jr = fn.jacrev(lambda a, b: (a * b, a.sum()), argnums=(0, 1))(x, y)
        jf = fn.jacfwd(lambda a, b: (a * b, a.sum()), argnums=1)(x, y)
        h = fn.hessian(lambda a, b: (a * a * b).sum(), argnums=(0, 1))(x, y)
        ja = fn.jacrev(lambda a: (a.exp(), a.sum()), has_aux=True)(x)
        neg = fn.grad(lambda a, b: (a * b).sum(), argnums=-1)(x, y)
        return g1, g2, d, jr, jf, h, ja, neg
    run_both(case)


def test_vjp_and_jvp_conventions():
    def case(lib):
        fn = lib.func
        x, y = t64(lib, [1.0, 2.0]), t64(lib, [0.5, -1.5])
        out, vf = fn.vjp(lambda a, b: (a * b, a.sin()), x, y)
        v = vf((t64(lib, [1.0, 1.0]), t64(lib, [2.0, 0.0])))
        out2, vf2, aux = fn.vjp(lambda a: (a.exp(), a * 3), x, has_aux=True)
        j = fn.jvp(lambda a, b: {"p": a * b, "q": a.sum()}, (x, y), (y, x))
        j2 = fn.jvp(lambda a: (a.cos(), a * 2), (x,), (y,), has_aux=True)
        return out, v, out2, vf2(t64(lib, [1.0, 3.0])), aux, j, j2
    run_both(case)


def test_vmap_in_dims_out_dims_nested_and_per_sample_grads():
    def case(lib):
        fn = lib.func
        X = t64(lib, np.arange(12.0).reshape(3, 4) / 7)
        Y = t64(lib, np.arange(8.0).reshape(4, 2) / 5)
        w = t64(lib, [0.5, -0.25, 1.0, 2.0])
        a = fn.vmap(lambda r, c: (r * c).sum(), in_dims=(None, 1))(w, Y)
        b = fn.vmap(lambda r: (r, r.sum()), out_dims=(1, 0))(X)
        c = fn.vmap(fn.vmap(lambda s, t: s * t), in_dims=(0, None))(X, w)
        d = fn.vmap(fn.grad(lambda p, r: ((p * r).sum() - 1.0) ** 2), in_dims=(None, 0))(w, X)
        e = fn.vmap(lambda p: {"s": p["a"].sum() * p["b"]}, in_dims=({"a": 0, "b": None},))({"a": X, "b": w})
        f = fn.vmap(lambda r: r * 2, in_dims=1, out_dims=1)(X)
        g = fn.vmap(lambda r, k: r * k, in_dims=(0, None))(X, 3.0)
        return a, b, c, d, e, f, g
    run_both(case)


@pytest.mark.parametrize("which", range(6))
def test_vmap_and_transform_errors(which):
    def case(lib):
        fn = lib.func
        x3, x4 = t64(lib, [1.0, 2.0, 3.0]), t64(lib, [1.0, 2.0, 3.0, 4.0])
        if which == 0:
            return fn.vmap(lambda a, b: a + b)(x3, x4)
        if which == 1:
            return fn.vmap(lambda a: (a, 2.0))(x3)
        if which == 2:
            return fn.vmap(lambda a: a, in_dims=1)(x3)
        if which == 3:
            return fn.grad(lambda a: a * 2)(x3)
        if which == 4:
            return fn.grad(lambda a: a.sum(), argnums=2)(x3)
        return fn.jvp(lambda a: a, (x3,), (x4,))
    run_both(case)


def test_vmap_randomness():
    for lib in (torch, jitgrad):
        x = t64(lib, [1.0, 2.0, 3.0])
        with pytest.raises(RuntimeError, match="randomness error mode"):
            lib.func.vmap(lambda a: lib.randn(()) + a)(x)
        lib.manual_seed(0)
        same_draws = lib.func.vmap(lambda a: lib.rand(()) + a * 0, randomness="same")(x)
        assert len(set(same_draws.tolist())) == 1
        diff = lib.func.vmap(lambda a: lib.rand(()) + a * 0, randomness="different")(x)
        assert len(set(diff.tolist())) == 3


class JModel:
    """A module-like object: attributes read in __call__."""

    def __init__(self, lib):
        self.weight = t64(lib, [[1.0, 2.0], [0.5, -1.0], [0.0, 3.0]])
        self.bias = t64(lib, [0.1, 0.2, 0.3])

    def __call__(self, x):
        return x @ self.weight.T + self.bias


def test_functional_call_and_grad_over_parameters():
    def case(lib):
        fn = lib.func
        if lib is torch:
            model = torch.nn.Linear(2, 3).double()
        else:
            model = JModel(lib)
        params = {"weight": t64(lib, [[0.5, 0.0], [1.0, 1.0], [-2.0, 0.25]]), "bias": t64(lib, [1.0, 0.0, -1.0])}
        x = t64(lib, [[1.0, 2.0], [3.0, -1.0]])
        y = fn.functional_call(model, params, (x,))
        g = fn.grad(lambda p: (fn.functional_call(model, p, x) ** 2).sum())(params)
        per_sample = fn.vmap(fn.grad(lambda p, xi: (fn.functional_call(model, p, (xi,)) ** 2).sum()),
                             in_dims=(None, 0))(params, x)
        return y, g, per_sample
    run_both(case)


def test_compile_of_func_grad_still_replays():
    f = lambda x: (x.sin() * x).sum()      # noqa: E731
    cf = jitgrad.compile(jitgrad.func.value_and_grad(f))
    for vals in ([0.5, 1.0], [1.5, -0.5]):
        v, g = cf(t64(jitgrad, vals))
        tv, tg = torch.func.grad_and_value(f)(t64(torch, vals))[::-1]
        np.testing.assert_allclose(v.item(), tv.item(), rtol=1e-12)
        np.testing.assert_allclose(g.numpy(), tg.numpy(), rtol=1e-12)
    assert cf.cf.replays >= 1


def test_float32_matmul_through_nested_transforms():
    # create_graph through a float32 matmul with a float32 seed (it raised a
    # dtype error in the recorded matmul backward).
    def case(lib):
        A = lib.tensor(np.arange(9.0).reshape(3, 3) / 10, dtype=lib.float32)
        f = lambda x: ((A @ x).sin() * x).sum()    # noqa: E731
        x = lib.tensor([1.0, 2.0, 3.0])
        g, = lib.autograd.grad((A @ x.requires_grad_()).sin(), x, lib.ones(3), create_graph=True)
        return lib.func.hessian(f)(x.detach()), lib.func.jacrev(lib.func.jacrev(f))(x.detach()), g.detach()
    want = case(torch)
    got = case(jitgrad)
    for g, w in zip(got, want):
        assert str(g.dtype).endswith("float32")
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=2e-5, atol=1e-5)


def test_vmap_of_grad_with_control_flow_and_captured_tensors():
    # Python control flow on values: torch's vmap refuses it, and so does
    # jitgrad's, with torch's error; captured tensors that change between
    # calls: each call gets its own, exact gradient.
    def make(lib, scale_values):
        scale = lib.tensor(scale_values, dtype=lib.float64)

        def f(w, x):
            s = (x * w).sum()
            if s > 0:
                return (s * scale).tanh().sum() + (w ** 2).sum()
            return (w * x).sin().sum() * scale[0]
        return f

    w, X = np.array([0.5, -1.0, 0.25]), np.linspace(-2, 2, 21).reshape(7, 3)
    errors = []
    for lib in (torch, jitgrad):
        f = make(lib, [1.0, 2.0])
        with pytest.raises(RuntimeError) as info:
            lib.func.vmap(lib.func.grad(f), in_dims=(None, 0))(t64(lib, w), t64(lib, X))
        errors.append(str(info.value))
    assert errors[0] == errors[1]
    c = t64(jitgrad, [1.0, 2.0])
    g = jitgrad.func.vmap(jitgrad.func.grad(lambda v: ((v * c) ** 2).sum()))
    W = t64(jitgrad, np.ones((3, 2)))
    assert g(W)[0].tolist() == [2.0, 8.0]
    c = t64(jitgrad, [3.0, 4.0])          # a new captured tensor
    assert g(W)[0].tolist() == [18.0, 32.0]
    c.mul_(2)                              # changed in place
    assert g(W)[0].tolist() == [72.0, 128.0]


def test_hessian_of_a_non_scalar_output():
    def case(lib):
        f = lambda x: lib.stack([(x ** 3).sum(), (x.sin() * x[0]).sum()]).reshape(2, 1)    # noqa: E731
        return lib.func.hessian(f)(t64(lib, [0.5, 1.5, -1.0]))
    run_both(case)


def test_functionalize_and_replace_all_batch_norm_modules():
    out = []
    for lib in (torch, jitgrad):
        lib.manual_seed(0)
        m = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4))
        assert lib.func.replace_all_batch_norm_modules_(m) is m
        bn = m[1]
        x = lib.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
        y = m(x)
        out.append((bn.running_mean is None, bn.running_var is None, bn.num_batches_tracked is None,
                    bn.track_running_stats, list(m.state_dict()), y.detach().numpy().round(5).tolist()))
        f = lib.func.functionalize(lambda t: t.mul_(2).sum())
        t = lib.ones(3)
        out.append((f(t).item(), t.tolist()))
        with pytest.raises(RuntimeError, match="invalid argument for remove"):
            lib.func.functionalize(lambda t: t, remove="views")
    assert out[:2] == out[2:]


@pytest.mark.parametrize("name", ["sin", "gelu", "where", "softmax", "matmul", "two_args"])
def test_jacfwd_zeros_signed_as_torch_forward_mode(name):
    # torch's jacfwd pushes tangents forward: an off-diagonal zero of an
    # elementwise function carries the sign of f'(x_i) along its row.
    fns = {
        "sin": lambda m, x: x.sin() * x,
        "gelu": lambda m, x: m.nn.functional.gelu(x),
        "where": lambda m, x: m.where(x > 0, x ** 2, x.exp() * -1),
        "softmax": lambda m, x: m.nn.functional.softmax(x, 0) * -x,
        "matmul": lambda m, x: m.outer(x, x) @ x,
    }
    x0 = np.array([0.3, -1.2, 2.0, -0.5])
    out = []
    for lib in (torch, jitgrad):
        x = lib.tensor(x0, dtype=lib.float64)
        if name == "two_args":
            j = lib.func.jacfwd(lambda a, b: (a * b.cos(), a.sum() * -b), argnums=(0, 1))(x, x * 2)
            flat = [j[0][0], j[0][1], j[1][0], j[1][1]]
        else:
            flat = [lib.func.jacfwd(lambda v: fns[name](lib, v))(x)]
        out.append([t.numpy() for t in flat])
    for a, b in zip(*out):
        np.testing.assert_allclose(b, a, rtol=1e-14, atol=0)
        zeros = a == 0
        assert np.array_equal(zeros, b == 0) and np.array_equal(np.signbit(a[zeros]), np.signbit(b[zeros]))


def test_vmap_random_error_mode_draws_nothing():
    out = []
    for lib in (torch, jitgrad):
        lib.manual_seed(0)
        with pytest.raises(RuntimeError, match="randomness error mode"):
            lib.func.vmap(lambda a: a + lib.rand(4))(lib.ones(3, 4))
        out.append(lib.rand(3).tolist())
    assert out[0] == out[1]


def _loop(f, xs, **kwargs):
    return jitgrad.stack([f(x, **kwargs) for x in xs])


@pytest.mark.parametrize("kind", ["grad", "jacrev", "plain", "hessian", "kwargs"])
def test_vmap_replays_equal_the_per_point_calls(kind):
    # vmap records the function once and replays it per point: bit for bit
    # the per-point eager calls (or eager where the function won't replay).
    def U(q, scale=1.0):
        r = q[1:] - q[:-1]
        return scale * (r ** 2).sum() + 0.1 * (q ** 4).sum() + q.cos().sum()
    fns = {
        "grad": jitgrad.func.grad(U),
        "jacrev": jitgrad.func.jacrev(lambda q: q.sin() * q.sum()),
        "plain": lambda q: q.softmax(0) * q.max(),
        "hessian": jitgrad.func.hessian(U),
        "kwargs": jitgrad.func.grad(U),
    }
    f = fns[kind]
    X = jitgrad.tensor(np.linspace(-1.5, 1.3, 8 * 5).reshape(8, 5))
    kw = {"scale": 2.5} if kind == "kwargs" else {}
    for _ in range(2):                  # (the second call replays the kept tape)
        got = jitgrad.func.vmap(f)(X, **kw)
        want = _loop(f, X, **kw)
        assert got.dtype is want.dtype and got.shape == want.shape
        assert got.numpy().tobytes() == want.numpy().tobytes()


@pytest.mark.parametrize("body", ["q * q.sum().item()", "q * float(q[0])", "torch.tensor(q.tolist())",
                                  "q * int(q[1])", "q.softmax(0) * q.max()", "q.exp() if q.sum() > 0 else -q",
                                  "torch.where(q > 0, q, -q)"])
@pytest.mark.parametrize("batch", [2, 8])
def test_vmap_reads_of_batched_values_are_torchs_errors(body, batch):
    # torch.func.vmap raises for .item() / float() / tolist() / bool() of a
    # batched tensor (library code reading values, as max's picks, is not the user's read)
    X = np.linspace(-1.5, 1.3, batch * 5).reshape(batch, 5)
    seen = []
    for lib in (torch, jitgrad):
        f = eval("lambda q: " + body, {"torch": lib})
        try:
            seen.append(("ok", lib.func.vmap(f)(lib.tensor(X)).numpy()))
        except RuntimeError as e:
            seen.append(("error", str(e)))
    assert seen[0][0] == seen[1][0]
    if seen[0][0] == "ok":
        np.testing.assert_allclose(seen[1][1], seen[0][1], rtol=1e-12)
    else:
        assert seen[1][1] == seen[0][1]


def test_vmap_replay_draws_as_the_loop_and_frees_the_function():
    import gc
    import weakref

    def noisy(q):
        return q + jitgrad.randn(q.shape, dtype=q.dtype) * 0.1
    X = jitgrad.zeros(6, 3, dtype=jitgrad.float64)
    for randomness in ("different", "same"):
        jitgrad.manual_seed(3)
        got = jitgrad.func.vmap(noisy, randomness=randomness)(X)
        jitgrad.manual_seed(3)
        if randomness == "same":
            state = jitgrad.get_rng_state()
            rows = []
            for x in X:
                jitgrad.set_rng_state(state)
                rows.append(noisy(x))
            want = jitgrad.stack(rows)
        else:   # (torch draws the batch's noise at once: randn(6, 3))
            want = X + jitgrad.randn(X.shape, dtype=X.dtype) * 0.1
        assert got.numpy().tobytes() == want.numpy().tobytes()
    ref = weakref.ref(noisy)
    del noisy
    gc.collect()
    assert ref() is None


def test_vmap_of_inputs_that_require_grad_keeps_the_graph():
    X = jitgrad.tensor(np.linspace(-1, 1, 12).reshape(6, 2), requires_grad=True)
    Xt = torch.tensor(X.detach().numpy(), requires_grad=True)
    for lib, x in ((jitgrad, X), (torch, Xt)):
        lib.func.vmap(lambda q: (q.sin() * q).sum())(x).sum().backward()
    np.testing.assert_allclose(X.grad.numpy(), Xt.grad.numpy(), rtol=1e-14)


def test_vmap_of_a_transform_rebuilt_per_call_records_once():
    # torch.func.vmap(torch.func.grad(U)) written inside a loop: a new grad
    # object per pass, one compiled form for all of them (kept on U, keyed by
    # the transform's settings), bit for bit the per-point calls.
    def U(q):
        return (q ** 3).sum() + q.sin().sum()
    X = jitgrad.tensor(np.linspace(-1.5, 1.3, 8 * 5).reshape(8, 5))
    for _ in range(3):
        got = jitgrad.func.vmap(jitgrad.func.grad(U))(X)
        assert got.numpy().tobytes() == _loop(jitgrad.func.grad(U), X).numpy().tobytes()
    table = U.__dict__["_jitgrad_vmap_replay"]
    (compiled,) = table.values()
    assert compiled.cf.records == 1 and compiled.cf.replays >= 8 * 3 - 1, compiled.report()
