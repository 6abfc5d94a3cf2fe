"""Fixes from sweep 17 (tests/users17_programs), each checked against torch
with conftest's `differential` (printed output, values, errors, warnings)."""
import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")


def test_fake_quantize_per_tensor_affine(differential):
    """Quantisation-aware training's fake quantiser: torch's rounding (half to
    even, float32 inverse scale), nan -> quant_min, the straight-through mask
    gradient, both node names, its errors."""
    differential(
        "x = torch.tensor([0.3, 0.7, float('nan'), float('inf'), -0.04, 0.05, 0.15, 0.25, -3.0], requires_grad=True)\n"
        "y = torch.fake_quantize_per_tensor_affine(x, torch.tensor(0.1), torch.tensor(0), 0, 255)\n"
        "print(y)\ny.sum().backward()\nprint(x.grad)\n"
        "print(torch.fake_quantize_per_tensor_affine(x.half(), 0.1, 0, 0, 255))\n"
        "z = torch.fake_quantize_per_tensor_affine(x.double(), 0.1, 3, -5, 127)\n"
        "z.backward(torch.arange(9.).double())\nprint(z, x.grad, z.grad_fn.next_functions)\n"
        "with torch.no_grad():\n    print(torch.fake_quantize_per_tensor_affine(x, 0.3, 0, -128, 127))\n"
        "print(torch.fake_quantize_per_tensor_affine(torch.tensor(0.26), 0.1, 0, -128, 127))\n",
        "torch.fake_quantize_per_tensor_affine(torch.arange(3), 0.1, 0, 0, 255)",
        "torch.fake_quantize_per_tensor_affine(torch.arange(3.), 0.1, 0, 5, 2)",
    )


def test_grad_of_nonleaf_with_leaf_on_two_tapes(differential):
    """autograd.grad of a non-leaf of an older (sealed) tape, a leaf used on
    both tapes: the newer tape's leaf gradient was moved into the older tape,
    whose sweep stops above the input and collected nothing (a TypeError)."""
    differential(
        "w = torch.tensor([1.0, 2.0], requires_grad=True)\nx = torch.tensor([3.0, 4.0], requires_grad=True)\n"
        "h = w * x\n(h * 0).sum().backward(retain_graph=True)\nout = (h * w).sum()\n"
        "print(torch.autograd.grad(out, h, retain_graph=True), w.grad)\n"
        "print(torch.autograd.grad(out, [h, w], retain_graph=True))\nout.backward()\nprint(w.grad, x.grad)\n",
    )


def test_softshrink_lambda_range_messages(differential):
    """softshrink's lambda check: torch's range message per dtype (%g), and
    its error for integer inputs."""
    cells = [f"F.softshrink(torch.ones(2, dtype=torch.{dt}), {v})"
             for dt in ("float32", "float64", "float16") for v in ("-0.5", "-123456.0", "float('inf')", "1e39")]
    differential("import torch.nn.functional as F\nprint(F.softshrink(torch.ones(2), 0.0))", *cells,
                 "F.softshrink(torch.ones(2, dtype=torch.int64), 0.5)")


def test_circular_pad_wrapping_more_than_once(differential):
    """Circular padding wider than the dim: torch's error (jitgrad wrapped
    around again). (Negative circular padding: torch's kernel reads memory
    outside the input, not compared.)"""
    differential(
        "import torch.nn.functional as F\nx = torch.arange(9.).view(1, 1, 3, 3)\n"
        "print(F.pad(x, (3, 3, 0, 0), mode='circular'))",
        "F.pad(x, (4, 0, 0, 0), mode='circular')", "F.pad(x, (0, 0, 0, 4), mode='circular')",
        "F.pad(torch.arange(3.).view(1, 3), (0, 4), mode='circular')",
        "torch.nn.CircularPad2d((1, 5, 0, 0))(x)",
    )


FOREACH = """\
a = [torch.ones(2, requires_grad=True), torch.arange(3., requires_grad=True)]
b = [torch.full((2,), 2.0), torch.ones(3)]
cases = [('add', (b,), {}), ('add', (b,), {"alpha": 2}), ('add', (2.0,), {}), ('add', ([1.0, 2.0],), {}), ('mul', (b,), {}),
         ('mul', (2.0,), {}), ('mul', (torch.tensor(3.0),), {}), ('sub', (b,), {}), ('div', (2.0,), {}), ('div', (b,), {}),
         ('neg', (), {}), ('sqrt', (), {}), ('exp', (), {}), ('abs', (), {}), ('norm', (), {}), ('lerp', (b, 0.5), {}),
         ('addcmul', (b, b), {"value": 0.5}), ('addcdiv', (b, b, [1.0, 2.0]), {}), ('pow', (2.0,), {}),
         ('maximum', (b,), {}), ('clamp_min', (0.5,), {}), ('clamp_max', ([0.5, 1.5],), {}), ('sign', (), {}), ('sigmoid', (), {})]
for n, args, kw in cases:
    try:
        r = getattr(torch, '_foreach_' + n)(a, *args, **kw)
        print(n, r)
        sum(x.sum() for x in r).backward()
        print([x.grad for x in a]); [x.grad.zero_() for x in a]
    except Exception as e:
        print(n, repr(e)[:150])
c = [t.detach().clone() for t in a]
for n, args, kw in cases:
    if n == "norm": continue
    try:
        with torch.no_grad():
            print(n, getattr(torch, '_foreach_' + n + '_')(c, *args, **kw))
    except Exception as e:
        print(n, repr(e)[:150])
for f in [lambda: torch._foreach_add_(c, [torch.ones(2)]), lambda: torch._foreach_add_(c, [torch.ones(2), torch.ones(4)]),
          lambda: torch._foreach_add_(a, 1.0), lambda: torch._foreach_mul_(c, [1.0]), lambda: torch._foreach_zero_(c),
          lambda: torch._foreach_copy_(c, b), lambda: torch._foreach_norm(b, float('inf'))]:
    try: print(f(), c)
    except Exception as e: print(repr(e)[:150], c)
"""


def test_foreach_functions(differential):
    """torch._foreach_* (EMA updates, hand-written optimisers): values,
    gradients, torch's per-overload node names, tuple results, in-place forms
    returning their list, and the list-length / shape errors (a shape error
    after the first tensor was updated, as torch's slow path)."""
    differential(FOREACH)


def test_bernoulli_probability_checks(differential):
    """bernoulli_ / bernoulli with a number p outside [0, 1]: torch's
    message (C++'s %g of p); bernoulli of an integer tensor: its dtype error."""
    cells = [f"{call}" for p in ("1.5", "-0.1", "2", "float('nan')")
             for call in (f"torch.empty(3).bernoulli_({p})", f"torch.bernoulli(torch.empty(3), {p})",
                          f"torch.empty(3).bernoulli({p})", f"torch.bernoulli(torch.tensor([{p}]))")]
    differential("torch.manual_seed(0)\nprint(torch.empty(4).bernoulli_(0.5), torch.bernoulli(torch.tensor([0.0, 1.0])))",
                 *cells, "torch.bernoulli(torch.tensor([1]))", "torch.bernoulli(torch.tensor([True]))")


def test_reentrant_checkpoint_without_grad_inputs(differential):
    """checkpoint(use_reentrant=True) with no argument requiring grad: torch
    warns and returns an output that requires no grad (its backward then
    raises); the missing use_reentrant warning comes from library code."""
    differential(
        "from torch.utils.checkpoint import checkpoint\ntorch.manual_seed(0)\nblock = torch.nn.Linear(4, 2)\n"
        "y = checkpoint(block, torch.randn(3, 4), use_reentrant=True)\nprint(y.requires_grad, y.grad_fn)",
        "y.sum().backward()",
        "z = checkpoint(block, torch.randn(3, 4, requires_grad=True))\nprint(z.requires_grad)",
    )



def test_lerp_dtype_messages(differential):
    """lerp with an integer / bool end or weight: torch's C++ dtype names
    ('long int', 'int', 'bool'); lerp of integer tensors: its kernel error."""
    ends = ["torch.ones(2).long(), 0.5", "torch.ones(2).int(), 0.5", "torch.ones(2).double(), 0.5",
            "torch.ones(2).half(), 0.5", "torch.ones(2), torch.tensor([0.5]).double()", "torch.ones(2).bool(), 0.5",
            "torch.ones(2), torch.tensor([1])"]
    ints = ["0.5", "torch.tensor([1, 1])", "1"]
    differential("a = torch.zeros(2)\nprint(torch.lerp(a, torch.ones(2), 0.25))",
                 *(f"torch.lerp(a, {e})" for e in ends), *(f"torch.lerp(a.long(), a.long(), {w})" for w in ints))


def test_get_gradient_edge(differential):
    """torch.autograd.graph.get_gradient_edge: the edge (node, output_nr) of a
    leaf, a non-leaf and an unbind output; autograd.grad with respect to edges."""
    differential(
        "from torch.autograd.graph import get_gradient_edge, GradientEdge\n"
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\ne = get_gradient_edge(x)\n"
        "print(type(e).__name__, e.node.name(), e.output_nr, e.ownership_token, isinstance(e, tuple))\n"
        "a = x * 2\nc = (a * a).sum()\nprint(get_gradient_edge(a).node.name())\n"
        "print(torch.autograd.grad(c, [get_gradient_edge(a), x], retain_graph=True))\n"
        "print(torch.autograd.grad(c, get_gradient_edge(a)))\n"
        "q = torch.ones(3, requires_grad=True)\nprint(get_gradient_edge(q.unbind()[2]).output_nr)",
        "get_gradient_edge(torch.ones(2))",
    )



SAVED_DIMS = """\
x = torch.ones(4, 3, requires_grad=True)
for f in [lambda: x.sum(-1), lambda: x.sum([1, 0]), lambda: x.mean(-2, keepdim=True), lambda: x.sum(0, dtype=torch.float64),
          lambda: x.mean((0, 1)), lambda: torch.sum(x, 1), lambda: x.sum(axis=1), lambda: (x * 2).sum(0), lambda: torch.ones(100, 50, requires_grad=True).sum(1)]:
    g = f().grad_fn
    print(g.name(), [k for k in dir(g) if k.startswith("_saved")], g._saved_dim, g._saved_keepdim)
y = x.sum(0); y.sum().backward(); print(y.grad_fn._saved_dim)
"""


def test_sum_mean_saved_dim_keepdim(differential):
    """SumBackward1 / MeanBackward1 list and return _saved_dim (negative dims
    as torch's uint64 print) and _saved_keepdim, small and bulk inputs."""
    differential(SAVED_DIMS)
