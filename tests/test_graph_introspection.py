"""Graph introspection against torch: grad_fn.next_functions (AccumulateGrad
at leaves, None for constants), _saved_* attributes, graph.Node,
saved_tensors_hooks (custom Functions) and utils.checkpoint."""
import warnings

import numpy as np
import pytest

import jitgrad
from jitgrad.utils.checkpoint import checkpoint as j_checkpoint

torch = pytest.importorskip("torch")
from torch.utils.checkpoint import checkpoint as t_checkpoint  # noqa: E402


def describe(node, depth=4):
    """A node's structure: (class name, name(), [children]) with leaves as
    ('AccumulateGrad', id of the variable's values) and constants None."""
    if node is None:
        return None
    cls = type(node).__name__
    if cls == "AccumulateGrad":
        return ("AccumulateGrad", node.name(), tuple(node.variable.detach().numpy().ravel().tolist()))
    kids = [] if depth == 0 else [(describe(n, depth - 1), i) for n, i in node.next_functions]
    return (cls, node.name(), kids)


def leaves(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    w = lib.tensor([3.0, -4.0], requires_grad=True)
    M = lib.tensor([[1.0, 0.5], [-2.0, 1.0]], requires_grad=True)
    return x, w, M


GRAPHS = {
    "mul_mul": lambda lib, x, w, M: (x * w) * 2,
    "chain": lambda lib, x, w, M: ((x * w).sin() + x.exp()).sum(),
    "pow_forms": lambda lib, x, w, M: (x ** 2 + x ** w + 2 ** x).sum(),
    "constants": lambda lib, x, w, M: x + 2 - w / 3,
    "rsub": lambda lib, x, w, M: 2 - x,
    "matmul": lambda lib, x, w, M: (M @ x).tanh().sum() + (M @ M).sum() + x @ w,
    "stack": lambda lib, x, w, M: lib.stack([x, w * 2]),
    "view": lambda lib, x, w, M: x.view(2, 1),
    "unary": lambda lib, x, w, M: x.sigmoid() * x.tanh() + x.sqrt().log() - x.abs() - x.neg(),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_next_functions_structure(name):
    tx, tw, tM = leaves(torch)
    jx, jw, jM = leaves(jitgrad)
    want = describe(GRAPHS[name](torch, tx, tw, tM).grad_fn)
    got = describe(GRAPHS[name](jitgrad, jx, jw, jM).grad_fn)
    assert got == want


def saved(lib, expr):
    x, w, M = leaves(lib)
    y = expr(x, w, M)
    g = y.grad_fn
    out = {}
    for attr in ("_saved_self", "_saved_other", "_saved_exponent", "_saved_result", "_saved_alpha",
                 "_saved_mat2", "_saved_vec", "_saved_tensor"):
        if hasattr(g, attr):
            v = getattr(g, attr)
            if hasattr(v, "detach"):
                # float32 values to float32 precision (exp's last bit is NumPy's, not torch's).
                v = ("tensor", tuple(np.round(v.detach().numpy().ravel(), 6).tolist()), v.requires_grad,
                     v is x or v is w or v is M, v is y, v.grad_fn is not None)
            out[attr] = v
    return out


SAVED = {
    "mul": lambda x, w, M: x * w,
    "div": lambda x, w, M: x / w,
    "pow_scalar": lambda x, w, M: x ** 3,
    "pow_float": lambda x, w, M: x.pow(2.5),
    "pow_tensor": lambda x, w, M: x ** w,
    "pow_base": lambda x, w, M: 2 ** x,
    "exp": lambda x, w, M: x.exp(),
    "sin": lambda x, w, M: x.sin(),
    "tanh": lambda x, w, M: x.tanh(),
    "sigmoid": lambda x, w, M: x.sigmoid(),
    "log": lambda x, w, M: x.log(),
    "sqrt": lambda x, w, M: x.sqrt(),
    "add": lambda x, w, M: x + w,
    "mm": lambda x, w, M: M @ M,
    "mv": lambda x, w, M: M @ x,
    "dot": lambda x, w, M: x @ w,
}


@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_attributes(name):
    assert saved(jitgrad, SAVED[name]) == saved(torch, SAVED[name])


def test_node_classes_and_identity():
    for lib in (torch, jitgrad):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        z = y.sin()
        acc = y.grad_fn.next_functions[0][0]
        assert type(acc).__name__ == "AccumulateGrad" and acc.variable is x and acc.next_functions == ()
        assert acc.name() == "torch::autograd::AccumulateGrad"
        assert z.grad_fn.next_functions[0][0] is y.grad_fn
        assert isinstance(z.grad_fn, lib.autograd.graph.Node) and isinstance(acc, lib.autograd.graph.Node)
        assert x.grad_fn is None and repr(acc).startswith("<AccumulateGrad object at 0x")
        assert repr(z.grad_fn).startswith("<SinBackward0 object at 0x")
        nog = lib.tensor([1.0, 2.0])
        assert (x * nog).grad_fn.next_functions[1] == (None, 0)


def test_custom_function_node_next_functions():
    def run(lib):
        class Twice(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a, b, k):
                return a * 2 + b * k

            @staticmethod
            def backward(ctx, g):
                return g * 2, g, None

        x, w, M = leaves(lib)
        y = Twice.apply(x.sin(), w, 3.0)
        return describe((y * 2).grad_fn), isinstance(y.grad_fn, lib.autograd.graph.Node)
    assert run(jitgrad) == run(torch)


def test_saved_tensors_hooks_on_custom_function():
    def run(lib):
        log = []

        class Sq(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.save_for_backward(a)
                return a * a

            @staticmethod
            def backward(ctx, g):
                a, = ctx.saved_tensors
                return 2 * a * g

        def pack(t):
            log.append(("pack", t.detach().numpy().tolist()))
            return t.detach() * 10          # what is stored is the hook's business

        def unpack(t):
            log.append(("unpack", t.numpy().tolist()))
            return t / 10

        x = lib.tensor([1.0, 2.0], requires_grad=True)
        with lib.autograd.graph.saved_tensors_hooks(pack, unpack):
            y = Sq.apply(x)
        y.sum().backward()
        return log, x.grad.numpy().tolist()
    assert run(jitgrad) == run(torch)


def mlp(lib, W1, W2):
    def block(h):
        return (h @ W1).tanh() @ W2
    return block


def test_checkpoint_gradients_equal_uncheckpointed():
    rng = np.random.default_rng(3)
    w1, w2, xv = rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal((5, 3))
    results = {}
    for lib, ckpt in ((torch, t_checkpoint), (jitgrad, j_checkpoint)):
        W1 = lib.tensor(w1, requires_grad=True)
        W2 = lib.tensor(w2, requires_grad=True)
        x = lib.tensor(xv, requires_grad=True)
        calls = []

        def block(h):
            calls.append(1)
            return (h @ W1).tanh() @ W2

        y = ckpt(block, x, use_reentrant=False)
        name = type(y.grad_fn).__name__
        (y ** 2).sum().backward()
        g_ckpt = [t.grad.numpy().copy() for t in (x, W1, W2)]
        for t in (x, W1, W2):
            t.grad = None
        (block(x) ** 2).sum().backward()
        g_plain = [t.grad.numpy().copy() for t in (x, W1, W2)]
        gw, = lib.autograd.grad(ckpt(block, x, use_reentrant=False).sum(), W1)
        gx, = lib.autograd.grad((ckpt(block, x, use_reentrant=False) ** 2).sum(), x, create_graph=True)
        gg, = lib.autograd.grad(gx.sum(), x)
        results[lib] = (name, len(calls), g_ckpt, g_plain, gw.numpy(), gg.numpy())
        for a, b in zip(g_ckpt, g_plain):
            np.testing.assert_allclose(a, b, rtol=1e-12)
    t, j = results[torch], results[jitgrad]
    assert j[0] == t[0] and j[1] == t[1]        # same grad_fn name, fn run as often (recompute)
    for a, b in zip(j[2:], t[2:]):
        for u, v in zip(a if isinstance(a, list) else [a], b if isinstance(b, list) else [b]):
            np.testing.assert_allclose(u, v, rtol=1e-10, atol=1e-12)


def test_checkpoint_reentrant_default_warns_and_preserves_rng():
    for lib, ckpt in ((torch, t_checkpoint), (jitgrad, j_checkpoint)):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            y = ckpt(lambda a: a.sin() * 2, x)
        assert any("use_reentrant parameter should be passed explicitly" in str(m.message) for m in w)
        assert type(y.grad_fn).__name__ == "CheckpointFunctionBackward"
        lib.manual_seed(0)
        noisy = ckpt(lambda a: a * lib.rand(3), x, use_reentrant=False)
        noisy.sum().backward()
        # The recomputation saw the same random draw as the forward.
        np.testing.assert_allclose(x.grad.numpy() - 2 * np.cos([1.0, 2.0, 3.0]) * 0, noisy.detach().numpy() /
                                   x.detach().numpy(), rtol=1e-6)


def test_make_dot_source_and_render_dependency():
    import importlib.util
    w = jitgrad.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = jitgrad.tensor([0.5, -0.5], requires_grad=True)
    x = jitgrad.tensor([1.0, -1.0])
    y = ((w @ x) + b).tanh().sum()
    dot = jitgrad.viz.make_dot(y, params={"w": w, "b": b})
    src = dot.source
    assert src.startswith("digraph {") and src.rstrip().endswith("}") and str(dot) == src
    for name in ("SumBackward0", "TanhBackward0", "AddBackward0", "MvBackward0", 'w\\n(2, 2)', 'b\\n(2)'):
        assert name in src, name
    # Edges follow next_functions: leaf -> op -> ... -> output.
    ids = {line.split()[0]: line for line in src.splitlines()[3:] if "[label=" in line}
    edges = [tuple(line.split(" -> ")) for line in (s.strip() for s in src.splitlines()) if " -> " in line]
    assert len(edges) == len(ids) - 1 == 6
    by_label = {line.split('label="')[1].split('"')[0]: key for key, line in ids.items()}
    assert (by_label["w\\n(2, 2)"], by_label["MvBackward0"]) in edges
    assert (by_label["SumBackward0"], by_label["()"]) in edges
    assert importlib.util.find_spec("graphviz") is not None, "the README's test command installs the graphviz extra"


def _small_dot():
    x = jitgrad.tensor([1.0, -1.0], requires_grad=True)
    return jitgrad.viz.make_dot((x * 2).sum(), params={"x": x})


def test_render_hands_the_source_to_graphviz(tmp_path):
    import shutil

    import graphviz
    dot = _small_dot()
    assert dot._graphviz().source == dot.source
    if shutil.which("dot"):        # the Graphviz binaries are a system package, not a pip one
        out = dot.render(str(tmp_path / "g"), format="svg")
        assert open(out).read().lstrip().startswith(("<?xml", "<svg"))
    else:
        with pytest.raises(graphviz.ExecutableNotFound):
            dot.render(str(tmp_path / "g"), format="svg")


def test_render_without_graphviz_names_the_extra(monkeypatch, tmp_path):
    import sys
    monkeypatch.setitem(sys.modules, "graphviz", None)    # import graphviz now raises ImportError
    dot = _small_dot()
    assert "SumBackward0" in dot.source                   # the DOT text needs nothing
    with pytest.raises(ImportError, match="pip install graphviz"):
        dot.render(str(tmp_path / "g"))


def test_node_prehook():
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        seen = []
        h = y.grad_fn.register_prehook(lambda go: (seen.append(go[0].tolist()), (go[0] * 10,))[1])
        (y * 3).sum().backward()
        first = x.grad.tolist()
        h.remove()
        x.grad = None
        y = x * 2
        (y * 3).sum().backward()
        return seen, first, x.grad.tolist()
    assert run(jitgrad) == run(torch)
