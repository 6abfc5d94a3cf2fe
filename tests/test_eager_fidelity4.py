"""Regression tests for differences the differential fuzzer
(tests/fuzz_programs.py) found, fourth round (issue 12): each runs the same
code on torch and jitgrad and compares values, gradients (signs of zeros,
None versus zeros), dtypes and errors. The seed that found each is named."""

import numpy as np
import pytest
import torch

import jitgrad

from _fidelity import LIBS, both, raises_same, same  # noqa: E402,F401





# ----- an empty result's node saved its operands: torch's errors (seed 7021303) -----

EMPTY_RESULTS = {
    "maximum": lambda L, x, e: L.maximum(x, e),
    "mul": lambda L, x, e: x * e,
    "atan2": lambda L, x, e: L.atan2(e, x),
    "sin": lambda L, x, e: (e * x).sin(),
}


@pytest.mark.parametrize("op", sorted(EMPTY_RESULTS))
def test_empty_result_inplace_and_second_backward_errors(op):
    def modified(L):
        x = L.tensor(0.25, dtype=L.float64, requires_grad=True)
        e = L.zeros(0, dtype=L.float64, requires_grad=True)
        out = EMPTY_RESULTS[op](L, x, e)
        x.detach().zero_()
        out.sum().backward()

    def twice(L):
        x = L.tensor(0.25, dtype=L.float64, requires_grad=True)
        e = L.zeros(0, dtype=L.float64, requires_grad=True)
        loss = EMPTY_RESULTS[op](L, x, e).sum()
        loss.backward()
        loss.backward()
    if op != "sin":     # (sin saves its empty input only: never modified here)
        raises_same(modified)
    raises_same(twice)


def test_empty_result_retain_graph_backward_twice():
    def f(L):
        x = L.tensor(0.25, dtype=L.float64, requires_grad=True)
        e = L.zeros(0, dtype=L.float64, requires_grad=True)
        loss = L.maximum(x, e).sum()
        loss.backward(retain_graph=True)
        loss.backward()
        return x.grad, e.grad
    same(*both(f))


# ----- create_graph: routes into an empty result, zero routes of inf/nan (7011062, 7028580, 7003821) -----

ROUTED = {
    "clamp_max": lambda L, x, b: x.clamp(max=b),
    "clamp_min": lambda L, x, b: x.clamp(min=b),
    "where": lambda L, x, b: L.where(x < b, x, b),
    "maximum": lambda L, x, b: L.maximum(x, b),
}


@pytest.mark.parametrize("op", sorted(ROUTED))
@pytest.mark.parametrize("bound_shape", [(), (3, 1)])
def test_create_graph_empty_routed_result_gives_zeros(op, bound_shape):
    def f(L):
        b = L.full(bound_shape, 2.0, dtype=L.float64, requires_grad=True)
        x = L.zeros((2, 0), dtype=L.float64) if bound_shape == () else L.zeros(0, dtype=L.float64)
        out = ROUTED[op](L, x, b)
        return L.autograd.grad(out.sum(), [b], create_graph=True, allow_unused=True)
    same(*both(f))


@pytest.mark.parametrize("op", ["where", "clamp_max", "clamp_min"])
@pytest.mark.parametrize("shape", [(), (3,)])
@pytest.mark.parametrize("upstream", [float("nan"), float("inf")])
def test_create_graph_zero_route_of_nonfinite_gradient_is_zero(op, shape, upstream):
    # torch's where(mask, g, 0): +0.0 where the route is closed, whatever g.
    def f(L):
        x = L.full(shape, 1.0, requires_grad=True)
        b = L.full(shape, 2.0, requires_grad=True)
        w = L.tensor(upstream, requires_grad=True)
        out = ROUTED[op](L, b, x)
        gs = L.autograd.grad(out.sum() * w, [x, b], create_graph=True)
        sum(g.sum() for g in gs).backward()
        return gs, w.grad
    same(*both(f))


# ----- torch's sum_to sums a reduced gradient from +0.0 (7020198, 7047493) -----

BROADCAST_BINARY = {     # x = 3, y = 2: each routes a -0.0 to x for one of the upstreams
    "mul": lambda L, x, y: x * y,
    "remainder": lambda L, x, y: L.remainder(y, x),
    "where": lambda L, x, y: L.where(y < 3, x, y),
    "clamp": lambda L, x, y: x.clamp(min=y),
}


@pytest.mark.parametrize("op", sorted(BROADCAST_BINARY))
@pytest.mark.parametrize("shapes", [((3,), (1, 3)), ((), (1,)), ((1, 3), (2, 1, 3))])
@pytest.mark.parametrize("upstream", [1.0, -0.0])
def test_leading_dim_broadcast_gradient_sums_from_plus_zero(op, shapes, upstream):
    def f(L):
        x = L.tensor(np.full(shapes[0], 3.0), requires_grad=True)
        y = L.tensor(np.full(shapes[1], 2.0), requires_grad=True)
        (BROADCAST_BINARY[op](L, x, y) * upstream).sum().backward()
        return x.grad, y.grad
    same(*both(f))


def test_remainder_broadcast_scalar_gradient_sums_from_plus_zero():
    def f(L):
        x = L.tensor([0.25], requires_grad=True)
        y = L.tensor(1.0, requires_grad=True)
        L.remainder(x, y).sum().backward()
        return x.grad, y.grad
    same(*both(f))


# ----- select/slice/index backward: zeros outside the read elements are added (9003280) -----

READS = {
    "slice_and_whole": lambda L, x: (x[1:] * -0.0).sum() + (x * -0.0).sum(),
    "two_slices": lambda L, x: (x[:2] * -0.0).sum() + (x[1:] * -0.0).sum(),
    "index_select_and_where": lambda L, x: (L.where(x > 0, x, x).index_select(0, L.tensor([1, 1])) * -1.0).sum(),
    "where_same_tensor": lambda L, x: (L.where(x > 2, x, x) * -0.0).sum(),
    "narrow_and_gather": lambda L, x: ((x.narrow(0, 0, 1) * -0.0).sum()
                                       + (x.gather(0, L.tensor([2])) * -0.0).sum()),
}


@pytest.mark.parametrize("op", sorted(READS))
def test_read_gradients_add_plus_zero_elsewhere(op):
    def f(L):
        x = L.tensor([1.0, 2.0, 3.0], dtype=L.float64, requires_grad=True)
        READS[op](L, x).backward()
        return x.grad
    same(*both(f))


# ----- scatter / index_put: written values keep inf and -0.0 (7059082) -----

@pytest.mark.parametrize("index", [[0, 2], [0, 2, 0]])
def test_scatter_of_nonfinite_values(index):
    def f(L):
        w = L.tensor([-float("inf"), -0.0, 2.0], requires_grad=True)
        s = L.tensor([-float("inf"), -0.0, 3.0], requires_grad=True)
        out = w.scatter(0, L.tensor(index), s[:len(index)] * 3)
        put = w.index_put((L.tensor(index[:2]),), s[:2])
        ((out + put) * L.tensor([-1.0, 2.0, 3.0])).sum().backward()
        return out, put, w.grad, s.grad
    same(*both(f))


# ----- softmax / log_softmax: a +inf max makes the slice nan, as torch's kernels (9003473) -----

INF = float("inf")


@pytest.mark.parametrize("values", [[[-0.5], [0.25], [INF]], [INF, 1.0], [INF] * 9 + [1.0], [-INF, 1.0],
                                    [-INF, -INF], [INF, -INF]])
def test_softmax_family_of_infinite_inputs(values):
    def f(L):
        x = L.tensor(values, dtype=L.float64, requires_grad=True)
        outs = x.softmax(0), x.log_softmax(0), x.logsumexp(0), L.nn.functional.softmax(x, 0)
        sum(o.sum() for o in outs).backward()
        return outs, x.grad
    same(*both(f))


# ----- index_add / scatter_add / put / index_put(accumulate): x + s where written, x elsewhere (9002410) -----

ACCUMULATE = {
    "index_add": lambda L, x, s: x.index_add(0, L.tensor([1, 1]), s),
    "scatter_add": lambda L, x, s: x.scatter_add(0, L.tensor([[1, 0], [1, 1]]), s),
    "index_put": lambda L, x, s: x.index_put((L.tensor([1, 1, 0]), L.tensor([0, 0, 1])), s.reshape(-1)[:3],
                                             accumulate=True),
    "put": lambda L, x, s: x.put(L.tensor([2, 2, 5]), s.reshape(-1)[1:], accumulate=True),
    "put_rounding": lambda L, x, s: x.put(L.tensor([2, 5, 2, 2]), s.reshape(-1) * L.tensor([1e16, 1, 1, -1e16]),
                                          accumulate=True),
    "index_add_empty": lambda L, x, s: x.index_add(0, L.tensor([], dtype=L.int64), s[:0]),
}


@pytest.mark.parametrize("op", sorted(ACCUMULATE))
def test_accumulating_writes_keep_signs_of_zeros(op):
    def f(L):
        x = L.tensor([[-0.0, 1.0], [-0.0, -0.0], [2.0, -0.0]], requires_grad=True)
        s = L.tensor([[0.0, -0.0], [0.0, 3.0]], requires_grad=True)
        out = ACCUMULATE[op](L, x, s)
        (out * L.tensor([[-1.0], [2.0], [-0.0]])).sum().backward()
        return out, x.grad, s.grad
    same(*both(f))


# ----- a retained / hooked non-leaf reached through one element (9011122, 9015107) -----

@pytest.mark.parametrize("index", [0, 2, -1])
@pytest.mark.parametrize("create_graph", [False, True])
def test_retain_grad_and_hook_of_a_vector_read_through_one_element(index, create_graph):
    def f(L):
        x = L.tensor([0.25, 3.0, -0.0], dtype=L.float64, requires_grad=True)
        y = -x
        seen = []
        y.register_hook(lambda g: seen.append(g.detach().clone()) or g + 1)
        y.retain_grad()
        (y[index] * 3).backward(create_graph=create_graph)
        return seen, x.grad, y.grad
    same(*both(f))


# ----- prod of a 0-d tensor: torch's gradient is g itself (9012607) -----

@pytest.mark.parametrize("value", [float("nan"), INF, -0.0, 2.5])
@pytest.mark.parametrize("shape", [(), (1,)])
def test_prod_of_one_element(value, shape):
    def f(L):
        x = L.full(shape, value, dtype=L.float64, requires_grad=True)
        y = x.prod()
        (2 * y + x.sum()).backward(retain_graph=True)
        return y, x.grad
    same(*both(f))
    raises_same(lambda L: (lambda y: (y.backward(), y.backward()))(L.tensor(2.0, requires_grad=True).prod()))
    # (torch's node saves the result: seed 9039318)
    raises_same(lambda L: (lambda y: (y.clamp_(min=0), y.backward()))(L.tensor(-1.0, requires_grad=True).prod()))


# ----- comparisons of two dtypes: in torch's promoted dtype (9015940) -----

COMPARED = [
    (lambda L: L.tensor([1.3862944], dtype=L.float32), lambda L: L.tensor(1.3862943611198906, dtype=L.float64)),
    (lambda L: L.tensor([0.1], dtype=L.float32), lambda L: L.tensor(0.1, dtype=L.float64)),
    (lambda L: L.tensor([16777217]), lambda L: L.tensor(16777216.0)),
    (lambda L: L.tensor([True, False]), lambda L: L.tensor(1.0, dtype=L.float64)),
    (lambda L: L.tensor([0.1], dtype=L.float64), lambda L: L.tensor([0.1], dtype=L.float32)),
]


@pytest.mark.parametrize("pair", range(len(COMPARED)))
def test_comparisons_of_two_dtypes(pair):
    def f(L):
        a, b = COMPARED[pair][0](L), COMPARED[pair][1](L)
        return [a == b, b == a, a <= b, a > b, a != b, L.eq(a, b), L.ge(b, a), a.lt(b)]
    same(*both(f))


def test_compiled_comparison_of_two_dtypes_matches_eager():
    b = jitgrad.tensor(1.3862943611198906, dtype=jitgrad.float64)

    def f(a):
        return (a * (a == b)).sum()
    compiled = jitgrad.compile(f)
    with pytest.warns(RuntimeWarning, match="two dtypes"):
        for v in (1.3862944, 2.0, 1.3862944, 2.0):
            a = jitgrad.tensor([v, 1.0], requires_grad=True)
            same(torch.tensor(f(a).item()), torch.tensor(compiled(a).item()))


# ----- norm at 0: torch's grad * (x / norm).masked_fill_(norm == 0, 0) (9028558) -----

@pytest.mark.parametrize("upstream", [float("nan"), INF, -1.0, 2.0])
@pytest.mark.parametrize("create_graph", [False, True])
def test_norm_at_zero_multiplies_the_upstream_gradient_by_zero(upstream, create_graph):
    def f(L):
        x = L.tensor([0.0, -0.0], dtype=L.float64, requires_grad=True)
        g, = L.autograd.grad(x.norm() * upstream, [x], create_graph=create_graph)
        return g
    same(*both(f))


# ----- cumprod of an input with a zero: torch's cumprod_backward (7057105, 7058045, 9043709, ...) -----

CUMPROD = [([1.0, 2.0, 0.0], [1.0, 1.0, INF]), ([-0.5, 2.0, -0.0], [1.0, 2.0, float("nan")]),
           ([0.0, 2.0, 3.0, 0.0, 5.0], [1.0, -2.0, 3.0, 4.0, INF]), ([3.0, 0.0, 0.0, 2.0], [1.0, 2.0, 3.0, 4.0]),
           ([[1.0, -1.5, -0.0], [0.0, 2.0, -1.5]], [[1.0, 2.0, 3.0], [INF, 1.0, 2.0]])]


@pytest.mark.parametrize("case", range(len(CUMPROD)))
@pytest.mark.parametrize("dim", [0, -1])
@pytest.mark.parametrize("create_graph", [False, True])
def test_cumprod_with_zeros_first_and_second_order(case, dim, create_graph):
    # first order: torch masks the terms past the first zero; create_graph:
    # its O(n^2) product formula (nan for an inf upstream there), differentiable
    def f(L):
        xs, gs = CUMPROD[case]
        x = L.tensor(xs, dtype=L.float64, requires_grad=True)
        y = x.cumprod(dim)
        g, = L.autograd.grad(y, [x], L.tensor(gs, dtype=L.float64), create_graph=create_graph)
        h = L.autograd.grad((g * g).sum(), [x])[0] if create_graph else None
        return y, g, h
    a, b = both(f)
    same(a[0], b[0])
    for p, q in zip(a[1:], b[1:]):      # (create_graph: signs of zeros not compared, see README)
        if p is not None:
            np.testing.assert_allclose(q.detach().numpy(), p.detach().numpy(), rtol=1e-12, equal_nan=True)


def test_cumprod_with_zeros_forward_mode_errors_and_float32_overflow():
    def f(L):
        fw = L.autograd.forward_ad
        with fw.dual_level():
            t = fw.unpack_dual(fw.make_dual(L.tensor([2.0, 0.0, 3.0, 4.0]), L.ones(4)).cumprod(0)).tangent
        big = L.tensor([1e20, 1e20, 1e-20, 0.0], requires_grad=True)
        y = big.cumprod(0)
        y.sum().backward()
        return t, y, big.grad
    same(*both(f))

    def modified(L):
        x = L.tensor([1.0, 0.0, 3.0], requires_grad=True)
        y = x.cumprod(0)
        with L.no_grad():
            x.add_(1)
        y.sum().backward()
    raises_same(modified)
