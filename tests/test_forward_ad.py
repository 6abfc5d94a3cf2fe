"""jitgrad.autograd.forward_ad against torch.autograd.forward_ad: tangents of
elementwise, reduction, shape, indexing and matmul ops, several duals, custom
Functions with jvp, and the API's errors."""
import numpy as np
import pytest

import jitgrad

torch = pytest.importorskip("torch")
import torch.autograd.forward_ad  # noqa: E402,F401,F811  (loads the submodule)


def t(lib, values, dtype="float64"):
    return lib.tensor(np.asarray(values), dtype=getattr(lib, dtype))


def fwd(lib):
    return lib.autograd.forward_ad


def values(x):
    return None if x is None else x.detach().numpy()


def tangent_of(lib, fn, primals, tangents, dtype="float64"):
    """(primal, tangent) of fn's output(s) at duals made from the arrays."""
    fw = fwd(lib)
    with fw.dual_level():
        duals = [fw.make_dual(t(lib, p, dtype), t(lib, v, dtype)) for p, v in zip(primals, tangents)]
        out = fn(lib, *duals)
        outs = out if isinstance(out, tuple) else (out,)
        res = [fw.unpack_dual(o) for o in outs]
        return [(values(r.primal), values(r.tangent), str(r.primal.dtype).split(".")[-1]) for r in res]


RNG = np.random.default_rng(5)
A = RNG.standard_normal((3, 4))
VA = RNG.standard_normal((3, 4))
B = RNG.standard_normal((4, 2))
VB = RNG.standard_normal((4, 2))

CASES = {
    "elementwise": lambda lib, a: a.sin() * a.exp() + a.tanh() / (1 + a ** 2) - lib.sigmoid(a).log(),
    "relu_abs_clamp": lambda lib, a: lib.relu(a) + a.abs() * a.clamp(-0.5, 0.5),
    "reductions": lambda lib, a: (a.sum(), a.mean(1), (a * a).sum(0), a.norm(), a.amax(1), a.prod(1)),
    "shapes": lambda lib, a: (a.T.reshape(2, 6), a[1:, ::2], a.flip(0), lib.cat([a, a * 2], 1),
                              lib.stack([a, a.cos()]), a.unsqueeze(0).expand(2, 3, 4)),
    "softmax": lambda lib, a: (lib.softmax(a, 1), lib.log_softmax(a, 0), lib.logsumexp(a, 1)),
    "cumulative": lambda lib, a: (a.cumsum(1), a.cumprod(0)),
    "scalar_chain": lambda lib, a: ((a[0, 0] * 3 + a[1, 1]) ** 2).sin(),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_single_dual_against_torch(name, dtype):
    want = tangent_of(torch, CASES[name], [A], [VA], dtype)
    got = tangent_of(jitgrad, CASES[name], [A], [VA], dtype)
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == "float32" else dict(rtol=1e-10, atol=1e-12)
    assert len(got) == len(want)
    for (gp, gt, gd), (wp, wt, wd) in zip(got, want):
        assert gd == wd
        np.testing.assert_allclose(gp, wp, **tol)
        np.testing.assert_allclose(gt, wt, **tol)


def test_two_duals_matmul_and_mixed_constants():
    fn = lambda lib, a, b: (a @ b, (a @ b).tanh().sum(0) * 2, lib.mm(a, b * 3.0))   # noqa: E731
    got = tangent_of(jitgrad, fn, [A, B], [VA, VB])
    want = tangent_of(torch, fn, [A, B], [VA, VB])
    for (gp, gt, _), (wp, wt, _) in zip(got, want):
        np.testing.assert_allclose(gp, wp, rtol=1e-12)
        np.testing.assert_allclose(gt, wt, rtol=1e-10, atol=1e-12)


def test_jvp_matches_finite_differences():
    f = lambda lib, a: (a.sin() * a.sum()).exp().mean(1)    # noqa: E731
    (p, tan, _), = tangent_of(jitgrad, f, [A], [VA])
    eps = 1e-6
    hi = f(jitgrad, t(jitgrad, A + eps * VA)).numpy()
    lo = f(jitgrad, t(jitgrad, A - eps * VA)).numpy()
    np.testing.assert_allclose(tan, (hi - lo) / (2 * eps), rtol=1e-6, atol=1e-8)


def test_api_shape_and_errors():
    for lib in (torch, jitgrad):
        fw = fwd(lib)
        x, v = t(lib, [1.0, 2.0]), t(lib, [1.0, 0.0])
        with pytest.raises(RuntimeError, match="no level exists"):
            fw.make_dual(x, v)
        with fw.dual_level():
            d = fw.make_dual(x, v)
            with pytest.raises(RuntimeError, match="different size"):
                fw.make_dual(x, t(lib, [1.0, 2.0, 3.0]))
            u = fw.unpack_dual(d * 2)
            assert type(u).__name__ == "UnpackedDualTensor" and u._fields == ("primal", "tangent")
            assert u[1].tolist() == [2.0, 0.0] and u.primal.tolist() == [2.0, 4.0]
            plain = fw.unpack_dual(x * 2)
            assert plain.tangent is None and plain.primal.tolist() == [2.0, 4.0]
            assert fw.unpack_dual(d).tangent.tolist() == [1.0, 0.0]
            y = d.sin()
        assert fw.unpack_dual(y).tangent is None        # the level is gone


def test_custom_function_jvp_under_dual_level():
    def run(lib):
        class Cube(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.save_for_forward(a)
                ctx.a = a
                return a ** 3

            @staticmethod
            def backward(ctx, g):
                return g * 3 * ctx.a ** 2

            @staticmethod
            def jvp(ctx, ta):
                return 3 * ctx.a ** 2 * ta

        fw = fwd(lib)
        with fw.dual_level():
            d = fw.make_dual(t(lib, [1.0, -2.0]), t(lib, [0.5, 1.0]))
            return fw.unpack_dual(Cube.apply(d).sin()).tangent.numpy()
    np.testing.assert_allclose(run(jitgrad), run(torch), rtol=1e-12)


X4 = RNG.standard_normal(4)


def test_tutorial_style_jvp_of_a_function_of_parameters():
    def run(lib):
        fw = fwd(lib)
        with fw.dual_level():
            dw = fw.make_dual(t(lib, A), t(lib, VA))
            out = (dw @ t(lib, X4)).tanh()
            return fw.unpack_dual(out).tangent.numpy()
    np.testing.assert_allclose(run(jitgrad), run(torch), rtol=1e-12)


def test_tutorial_tangent_identity_and_primal_requiring_grad():
    def run(lib):
        fw = fwd(lib)
        primal, tangent = t(lib, A[:3, :3]), t(lib, VA[:3, :3])
        W = lib.tensor(B[:3, :2].T.copy(), dtype=lib.float64, requires_grad=True)
        TW = t(lib, VB[:3, :2].T.copy())
        with fw.dual_level():
            dual_input = fw.make_dual(primal, tangent)
            same_tangent = fw.unpack_dual(dual_input).tangent is tangent
            plain = t(lib, np.ones((3, 3)))
            out1 = fw.unpack_dual(dual_input ** 2 + plain ** 2).tangent.detach().numpy()
            dw = fw.make_dual(W, TW)                 # a primal that requires grad
            out = (dw @ dual_input).tanh()
            jvp = fw.unpack_dual(out).tangent.detach().numpy()
            loss = out.sum()
        loss.backward()
        return same_tangent, out1, jvp, W.grad.numpy(), fw.unpack_dual(out).tangent is None
    got, want = run(jitgrad), run(torch)
    assert got[0] is want[0] is True and got[4] is want[4] is True
    for g, w in zip(got[1:4], want[1:4]):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


def test_dual_tensors_look_as_in_torch():
    def run(lib):
        fw = fwd(lib)
        lines = []
        with fw.dual_level():
            d = fw.make_dual(t(lib, [[1.0, 1.0], [1.0, 1.0]], "float32"), t(lib, [[0.0, 1.0], [2.0, 3.0]], "float32"))
            e = fw.make_dual(t(lib, [1.0, 1.0]), t(lib, [1.0, 1.0]))
            w = lib.tensor([1.0, 2.0], requires_grad=True)
            y = d * 2
            lines += [repr(d), repr(y), repr(e.sum()), repr(e), str(w * 2), repr(d + 0)]
            lines += [(y.requires_grad, y.is_leaf, y.grad_fn is None, d.is_leaf, d.requires_grad,
                       (e * w).requires_grad, type((e * w).grad_fn).__name__, y.numpy().tolist())]
            lines.append(fw.unpack_dual(w * 2).tangent is None)
        lines += [repr(d), d.requires_grad, repr(w * 3)]
        return [str(x).replace("jitgrad", "torch") for x in lines]
    assert run(jitgrad) == run(torch)
