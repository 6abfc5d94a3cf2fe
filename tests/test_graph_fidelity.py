"""Autograd-graph and parameter fidelity against torch: what pasted code
inspects (type(p), repr, isinstance, deepcopy, pickling of nn.Parameter;
grad_fn names, next_functions, _saved_* and their freeing, Node hooks,
is_inference). Each test runs the same code under torch and jitgrad and
compares the transcripts."""
import copy
import io
import pickle

import pytest

import jitgrad

torch = pytest.importorskip("torch")


def outcome(f):
    """f()'s value, or (exception type name, message) when it raises."""
    try:
        return f()
    except Exception as e:      # noqa: BLE001 (the error is the fact compared)
        return (type(e).__name__, str(e))


def text(v):
    """repr with the library's name normalised (dtype=torch.float64)."""
    return repr(v).replace("jitgrad.", "torch.")


# ----- nn.Parameter ---------------------------------------------------------------------

def parameter_facts(lib):
    nn = lib.nn
    t = lib.tensor([1.0, 2.0])
    p = nn.Parameter(t)
    p0 = nn.Parameter(lib.tensor(3.0, dtype=lib.float64))
    frozen = nn.Parameter(lib.tensor([1.0, -2.0]), requires_grad=False)

    def saved(obj):
        buf = io.BytesIO()
        lib.save(obj, buf)
        buf.seek(0)
        return lib.load(buf, weights_only=False)

    lin = nn.Linear(2, 1)
    facts = {
        "type": (type(p).__name__, type(p) is nn.Parameter, issubclass(nn.Parameter, lib.Tensor)),
        "isinstance": (isinstance(p, nn.Parameter), isinstance(t, nn.Parameter), isinstance(p, lib.Tensor),
                       isinstance(p * 2, nn.Parameter)),
        "repr": (text(p), text(p0), text(frozen), str(p0).replace("jitgrad.", "torch."), text(nn.Parameter())),
        "leaf": (p.is_leaf, p.requires_grad, p.grad_fn, frozen.requires_grad),
        "P(P)": (type(nn.Parameter(p)).__name__, nn.Parameter(p).requires_grad,
                 text(nn.Parameter(p, requires_grad=False))),
        "int data": outcome(lambda: nn.Parameter(lib.tensor([1, 2]))),
        "int data frozen": text(outcome(lambda: nn.Parameter(lib.tensor([1, 2]), requires_grad=False))),
        "not a tensor": outcome(lambda: nn.Parameter([1.0])),
        "format": (outcome(lambda: f"{p0:.2f}"), f"{p0}" == str(p0)),
        "module params": [type(q).__name__ for q in lin.parameters()],
        "state_dict": [type(v).__name__ for v in lin.state_dict().values()],
        "register": outcome(lambda: nn.Module().register_parameter("w", t)),
        "setattr": outcome(lambda: setattr(lin, "weight", t)),
        "type(p)(x)": text(type(p)(lib.zeros(1))),
    }
    # Results of ops and methods: plain tensors; in-place and no-op methods return the parameter.
    for shape in ((), (3,), (2, 3)):
        q = nn.Parameter(lib.ones(shape, dtype=lib.float64))
        w = nn.Parameter(lib.ones(shape), requires_grad=False)
        ops = {
            "mul": lambda: q * 2, "radd": lambda: 1.5 + q, "neg": lambda: -q, "pow": lambda: q ** 2,
            "sin": lambda: lib.sin(q), "exp method": lambda: q.exp(), "sum": lambda: q.sum(),
            "pos": lambda: +q, "view": lambda: q.view(q.shape), "reshape": lambda: q.reshape(q.shape),
            "flatten": lambda: q.flatten(), "index": lambda: q[...], "clone": lambda: q.clone(),
            "data": lambda: q.data, "detach": lambda: q.detach(), "double": lambda: q.double(),
            "float": lambda: q.float(), "to same": lambda: q.to(lib.float64), "contiguous": lambda: q.contiguous(),
            "requires_grad_": lambda: q.requires_grad_(), "stack": lambda: lib.stack([q, q]),
            "where": lambda: lib.where(q > 0, q, 0.0), "mul_": lambda: w.mul_(2), "relu": lambda: lib.relu(q),
            "deepcopy": lambda: copy.deepcopy(q), "pickle": lambda: pickle.loads(pickle.dumps(q)),
            "save": lambda: saved(q),
        }
        for name, f in ops.items():
            r = f()
            facts[f"{shape} {name}"] = (type(r).__name__, r is q or r is w, r.requires_grad, r.is_leaf,
                                       r.dtype == lib.float64, r.tolist())
    # Gradients reach parameters through the scalar and array fast paths.
    a = nn.Parameter(lib.tensor(2.0))
    b = lib.tensor(3.0, requires_grad=True)
    z = a * b + a.exp() - lib.sin(a) / b + a ** 2 + 2 ** a + b * a
    z.backward()
    m = nn.Parameter(lib.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=lib.float64))
    v = lib.tensor([1.0, 2.0], dtype=lib.float64)
    (lib.tanh(m @ v) * m.sum(0) + v * m[0]).sum().backward()
    facts["grads"] = (round(a.grad.item(), 4), round(b.grad.item(), 4), type(a.grad).__name__,
                      [round(g, 10) for g in m.grad.flatten().tolist()])
    # deepcopy keeps the class, the values and requires_grad, not .grad (torch's Parameter.__deepcopy__).
    c = copy.deepcopy(a)
    facts["deepcopy"] = (type(c).__name__, c.grad, c.requires_grad, c.item(), c is not a)
    shared = [a, a]
    cs = copy.deepcopy(shared)
    facts["deepcopy memo"] = cs[0] is cs[1]
    loaded = saved(lin)
    facts["saved module"] = ([type(q).__name__ for q in loaded.parameters()],
                             loaded.weight.tolist() == lin.weight.tolist())
    facts["weights_only"] = outcome(lambda: type(lib.load(_bytes(lib, p), weights_only=True)).__name__)
    return facts


def _bytes(lib, obj):
    buf = io.BytesIO()
    lib.save(obj, buf)
    buf.seek(0)
    return buf


def test_parameter_is_a_tensor_subclass_as_torch():
    want, got = parameter_facts(torch), parameter_facts(jitgrad)
    assert sorted(got) == sorted(want)
    for k in want:
        assert got[k] == want[k], k


def lazy_facts(lib):
    m = lib.nn.LazyLinear(2)
    w = m.weight
    bn = lib.nn.LazyBatchNorm1d()
    rm = bn.running_mean
    facts = [type(w).__name__, type(m.bias).__name__, repr(m.bias), isinstance(w, lib.nn.UninitializedParameter),
             isinstance(w, lib.nn.Parameter), type(rm).__name__, isinstance(rm, lib.nn.UninitializedBuffer), repr(rm)]
    m(lib.ones(1, 3))
    bn(lib.ones(2, 3))
    facts += [type(w).__name__, w is m.weight, tuple(w.shape), type(m).__name__, type(bn.running_mean).__name__,
              [type(q).__name__ for q in m.parameters()], type(copy.deepcopy(m).weight).__name__]
    return facts


def test_lazy_placeholders_become_parameters_as_torch():
    assert lazy_facts(jitgrad) == lazy_facts(torch)


def test_parameter_module_name():
    assert type(jitgrad.nn.Parameter(jitgrad.ones(1))).__module__ == "jitgrad.nn.parameter"


# ----- grad_fn structure ----------------------------------------------------------------

def structure(node, depth=4):
    """(name(), [children]) down to the leaves, ('Acc', shape) at a leaf, None for a constant."""
    if node is None:
        return None
    if type(node).__name__ == "AccumulateGrad":
        return ("Acc", tuple(node.variable.shape))
    return (node.name(), type(node).__name__,
            [structure(n, depth - 1) if depth else "..." for n, _ in node.next_functions])


GRAPHS = {
    # the ops tutorials inspect, and the ones whose nodes were jitgrad's primitives
    "add": lambda L, x, M, b: x + x, "mul": lambda L, x, M, b: x * 2, "sum": lambda L, x, M, b: x.sum(),
    "sum dim": lambda L, x, M, b: M.sum(0), "mean": lambda L, x, M, b: M.mean(1), "pow": lambda L, x, M, b: x ** 2,
    "exp": lambda L, x, M, b: x.exp(), "relu": lambda L, x, M, b: L.relu(x), "sigmoid": lambda L, x, M, b: x.sigmoid(),
    "tanh": lambda L, x, M, b: x.tanh(), "mv": lambda L, x, M, b: M @ x, "mm": lambda L, x, M, b: L.mm(M, M.t()),
    "view": lambda L, x, M, b: x.view(3, 1), "reshape": lambda L, x, M, b: M.reshape(-1),
    "select": lambda L, x, M, b: x[0] * M[1], "slice": lambda L, x, M, b: M[:, 1:].exp(),
    "index": lambda L, x, M, b: x[[0, 2]], "cat": lambda L, x, M, b: L.cat([x, x * 2]),
    "stack": lambda L, x, M, b: L.stack([x, x]), "to": lambda L, x, M, b: x.double().float() * 2,
    "where": lambda L, x, M, b: L.where(M > 2, M, x * 2), "where number": lambda L, x, M, b: L.where(x > 1, x, 0.0),
    "broadcast bias": lambda L, x, M, b: (L.ones(4, 3) @ M.t() + b).relu().sum(),
    "broadcast mul": lambda L, x, M, b: M * x, "broadcast where": lambda L, x, M, b: L.where(M > 2, M, b[:, None]),
    "views": lambda L, x, M, b: M.t().unsqueeze(0).permute(2, 1, 0).expand(2, 3, 2).transpose(0, 1).sum(),
    "clamp": lambda L, x, M, b: x.clamp(0, 2) + x.clamp(min=1) + M.clamp(max=3).sum(),
    "add alpha": lambda L, x, M, b: L.add(M, x, alpha=2) - L.sub(x, M, alpha=3),
    "split": lambda L, x, M, b: x.chunk(3)[1] + x.split(1)[2] + M.unbind(0)[1],
    "gather": lambda L, x, M, b: M.gather(1, L.tensor([[0], [1]])).repeat(2, 1),
    "masked_fill": lambda L, x, M, b: M.masked_fill(M > 2, 0.0),
    "addmm": lambda L, x, M, b: L.addmm(b[:, None], M, M.T),
    "outer": lambda L, x, M, b: L.outer(x, x), "bmm": lambda L, x, M, b: L.bmm(M[None], M.T[None]),
    "softmax": lambda L, x, M, b: L.nn.functional.log_softmax(M, 1).sum(),
    "loss": lambda L, x, M, b: L.nn.functional.cross_entropy(M, L.tensor([0, 2])),
    "number over": lambda L, x, M, b: (2 / x).sum() + 1 / x[0] + ((3 / M) * 2).sum(),
    "numbers first": lambda L, x, M, b: 3 * x + 2 + 2.5 * M + L.tensor(2.0) * x + x[0] ** 2 + 3 * x[1] + 2 ** x[2],
    "trace": lambda L, x, M, b: (M.t() @ M).trace(),
    "below": lambda L, x, M, b: (L.cat([x, x * 2]) * 2).sum() + (L.stack([x[0], x[1] * 2]) * 2).sum()
    + (x.clone() * 2).sum() + (M.t().contiguous() * 2).sum() + (x.double() * 2).sum() + (M[:, 1] * 2).sum()
    + (x.mean() * 2) + (M.mean(1) * 2).sum() + ((1 - x) * 2).sum() + (2 - x[0]) * 2,
    "conv": lambda L, x, M, b: L.nn.functional.conv1d(x.view(1, 1, 3), M.view(2, 1, 3), b).sum(),
    "pools": lambda L, x, M, b: L.nn.functional.max_pool1d(M[None], 2).sum() + L.nn.functional.avg_pool1d(M, 3).sum()
    + L.nn.functional.max_pool2d(M[None], 2).sum() + L.nn.functional.avg_pool2d(M[None], (2, 1)).sum(),
    "norms": lambda L, x, M, b: M.norm(dim=1).sum() + M.norm(p=1, dim=0).sum() + x.norm(),
}
for _shape in ((3,), (4, 3), (5, 4, 3)):
    for _bias in (True, False):
        GRAPHS[f"linear {_shape} {_bias}"] = (lambda s, bias: lambda L, x, M, b: L.nn.functional.linear(
            L.ones(s) * x if len(s) < 3 else L.ones(s) * x, M, b if bias else None))(_shape, _bias)


COMPOSITES = {    # composites (several records) whose node lists the composite's inputs, as torch's
    "cumprod": lambda L, x, M, b: M.cumprod(1), "hardswish": lambda L, x, M, b: L.nn.functional.hardswish(M),
    "hardsigmoid": lambda L, x, M, b: L.nn.functional.hardsigmoid(M), "mish": lambda L, x, M, b: L.nn.functional.mish(M),
    "glu": lambda L, x, M, b: L.nn.functional.glu(M[:, :2]), "celu": lambda L, x, M, b: L.nn.functional.celu(M),
    "selu": lambda L, x, M, b: L.nn.functional.selu(M), "softshrink": lambda L, x, M, b: L.nn.functional.softshrink(M),
    "hardshrink": lambda L, x, M, b: L.nn.functional.hardshrink(M), "logcumsumexp": lambda L, x, M, b: M.logcumsumexp(1),
    "renorm": lambda L, x, M, b: M.renorm(2, 0, 1.0), "prod": lambda L, x, M, b: M.prod(1),
    "std_mean": lambda L, x, M, b: L.std_mean(M, 1)[0], "var_mean": lambda L, x, M, b: L.var_mean(M, 1)[1],
    "nan_to_num": lambda L, x, M, b: M.nan_to_num(), "deg2rad": lambda L, x, M, b: M.deg2rad(),
    "nansum": lambda L, x, M, b: M.nansum(), "tril": lambda L, x, M, b: M.tril(),
    "lerp": lambda L, x, M, b: L.lerp(M, M * 2, 0.3), "lerp tensor": lambda L, x, M, b: L.lerp(M, M * 2, L.full_like(M, 0.3)),
    "threshold": lambda L, x, M, b: L.nn.functional.threshold(M, 1.0, 0.0),
    "clamp tensor": lambda L, x, M, b: M.clamp(min=M * 0.5), "addmv": lambda L, x, M, b: L.addmv(b, M, x),
    "addr": lambda L, x, M, b: L.addr(M, b, x), "cdist": lambda L, x, M, b: L.cdist(M, M * 2),
    "cross": lambda L, x, M, b: L.linalg.cross(M, M * 2),
    "group_norm": lambda L, x, M, b: L.nn.functional.group_norm(M[None], 2),
    "prelu": lambda L, x, M, b: L.nn.functional.prelu(M, b[:1]), "diag": lambda L, x, M, b: L.diag(M[0]),
}


def test_composite_nodes_list_torch_inputs():
    bad = []
    for name, f in COMPOSITES.items():
        tl, jl = graph_leaves(torch), graph_leaves(jitgrad)
        want = structure((f(torch, *tl) * 2).grad_fn, 3)
        got = structure((f(jitgrad, *jl) * 2).grad_fn, 3)
        if got != want:
            bad.append((name, got, want))
    assert not bad, bad


def graph_leaves(lib):
    return (lib.tensor([1.0, 2.0, 3.0], requires_grad=True),
            lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True),
            lib.tensor([0.5, -0.5], requires_grad=True))


def test_grad_fn_structure_as_torch():
    bad = []
    for name, f in GRAPHS.items():
        tl, jl = graph_leaves(torch), graph_leaves(jitgrad)      # (alive: jitgrad's tape holds leaves weakly)
        want = structure(f(torch, *tl).grad_fn)      # (the result dies: its node keeps the graph)
        got = structure(f(jitgrad, *jl).grad_fn)
        if got != want:
            bad.append((name, got, want))
    assert not bad, bad


def test_node_identity_and_metadata_persist():
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        z = ((x * 2).exp() + 1).sum()
        n = z.grad_fn.next_functions[0][0].next_functions[0][0]
        n.metadata["tag"] = 7
        same = z.grad_fn.next_functions[0][0].next_functions[0][0] is n
        del n
        acc = z.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0].next_functions[0][0]
        return (same, z.grad_fn.next_functions[0][0].next_functions[0][0].metadata, z.grad_fn.metadata,
                acc.variable is x, isinstance(acc, lib.autograd.graph.Node),
                isinstance(z.grad_fn, lib.autograd.graph.Node), isinstance(x, lib.autograd.graph.Node),
                x.grad_fn, (x * 2).grad_fn.name(), (x * 2).grad_fn.next_functions[0][0].name())
    assert run(jitgrad) == run(torch)


def test_saved_tensors_freed_by_backward():
    def run(lib):
        x, M, b = graph_leaves(lib)
        y = x * M
        e = (M ** 2).exp()
        z = x.sum()
        facts = [text(y.grad_fn._saved_self), text(e.grad_fn._saved_result)]
        (y.sum() + e.sum() + z).backward()
        for node, attr in ((y.grad_fn, "_saved_self"), (y.grad_fn, "_saved_other"), (e.grad_fn, "_saved_result"),
                           (e.grad_fn.next_functions[0][0], "_saved_self"),
                           (e.grad_fn.next_functions[0][0], "_saved_exponent")):
            facts.append(outcome(lambda: text(getattr(node, attr))))
        facts.append("_saved_self" in dir(y.grad_fn))
        w = x * 3
        ww = w * w
        s = ww.sum()
        s.backward(retain_graph=True)
        facts.append(text(s.grad_fn.next_functions[0][0]._saved_self))     # (ww alive: its dtype is known)
        facts.append(text(ww.grad_fn._saved_other.grad_fn.name()))           # a non-leaf saved: on the graph
        facts.append(text(M.exp().grad_fn._saved_result))                     # its tensor gone at once
        g = M.tanh().grad_fn
        facts.append(text(g._saved_result))
        lib.autograd.grad((w * w).sum(), x)
        facts.append(outcome(lambda: text(w.grad_fn._saved_other)))
        u = w * x
        facts.append(outcome(lambda: lib.autograd.grad(u.sum(), x) and None))    # through w's freed node
        v = (x + 1) * x
        lib.autograd.grad(v.sum(), x)
        facts.append(outcome(lambda: text(lib.autograd.grad((v.grad_fn.next_functions[0][0].name(), x + 1)[1].sum(), x))))
        facts.append(outcome(lambda: text(v.grad_fn._saved_other)))
        return facts
    assert run(jitgrad) == run(torch)


# ----- Node hooks ---------------------------------------------------------------------

def node_hook_transcript(lib):
    log = []

    def note(*a):
        log.append(tuple(text(v) if not isinstance(v, str) else v for v in a))
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    W = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = lib.tensor([0.5, -1.0], requires_grad=True)
    # AccumulateGrad: pre-hooks (may replace) then hooks, with ((), grad_outputs)
    y = x * 3
    acc = y.grad_fn.next_functions[0][0]
    acc.register_hook(lambda gi, go: note("post", gi, go))
    acc.register_prehook(lambda go: note("pre", go))
    h = acc.register_prehook(lambda go: (go[0] * 10,))
    y.sum().backward()
    note(x.grad)
    h.remove()
    (x * 3).sum().backward()
    note(x.grad)
    x.grad = None
    # grad_inputs of a broadcast add, a matmul (its tensor gone), tanh (replaced), pow, a constant operand
    h = W @ x + b
    z = h.tanh()
    handles = [h.grad_fn.register_hook(lambda gi, go: note("add", gi, go)),
               h.grad_fn.next_functions[0][0].register_hook(lambda gi, go: note("mv", gi, go)),
               z.grad_fn.register_hook(lambda gi, go: (note("tanh", gi, go), (gi[0] * 2,))[1])]
    m = (W * b).exp() ** 2
    m.grad_fn.register_hook(lambda gi, go: note("pow", gi, go))
    m.grad_fn.next_functions[0][0].next_functions[0][0].register_hook(lambda gi, go: note("mul", gi, go))
    k = 2 - x / 3
    k.grad_fn.register_hook(lambda gi, go: note("rsub", gi, go))
    c = x * lib.tensor([1.0, -1.0])
    c.grad_fn.register_hook(lambda gi, go: note("const", gi, go))
    (z.sum() + m.sum() + k.sum() + c.sum()).backward(retain_graph=True)
    note(x.grad, W.grad, b.grad)
    handles[0].remove()
    handles[2].remove()
    x.grad = W.grad = b.grad = None
    (z.sum() * 2).backward()     # hooks stay on the nodes; removed ones are not called
    note(x.grad, W.grad, b.grad)
    x.grad = None
    q = (x * 2).exp()           # x * 2: a tensor gone, its node reached from q's
    q.grad_fn.next_functions[0][0].register_prehook(lambda go: (note("pre of gone", go), (go[0] + 1,))[1])
    q.sum().backward()
    note(x.grad)
    return log


def test_node_hooks_as_torch():
    got, want = node_hook_transcript(jitgrad), node_hook_transcript(torch)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g == w


def test_node_hook_on_a_repeated_input_is_a_clear_error():
    x = jitgrad.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    with pytest.raises(NotImplementedError, match="both of its inputs are the same tensor"):
        y.grad_fn.register_hook(lambda gi, go: None)


# ----- _saved_* of the ops tutorials inspect ------------------------------------------------

SAVED = {
    "add": lambda L, x, M: x + x, "mul": lambda L, x, M: x * x.exp(), "sum": lambda L, x, M: x.sum(),
    "sum dim": lambda L, x, M: M.sum(0), "mean": lambda L, x, M: x.mean(), "mean dim": lambda L, x, M: M.mean(1),
    "pow": lambda L, x, M: x ** 2, "pow tensor": lambda L, x, M: x ** x, "exp": lambda L, x, M: x.exp(),
    "relu": lambda L, x, M: L.relu(x), "sigmoid": lambda L, x, M: x.sigmoid(), "tanh": lambda L, x, M: x.tanh(),
    "mv": lambda L, x, M: M @ x, "mm": lambda L, x, M: M @ M.T, "view": lambda L, x, M: M.view(6),
    "reshape": lambda L, x, M: M.reshape(3, 2), "expand": lambda L, x, M: x.expand(2, 3),
    "select": lambda L, x, M: M[1], "slice": lambda L, x, M: x[1:], "index": lambda L, x, M: x[[0, 2]],
    "div": lambda L, x, M: M / x, "log": lambda L, x, M: x.log(), "sqrt": lambda L, x, M: x.sqrt(),
    "softmax": lambda L, x, M: L.nn.functional.softmax(M, 1), "log_softmax": lambda L, x, M: M.log_softmax(1),
    "max": lambda L, x, M: x.max(), "min": lambda L, x, M: M.min(),
}


def saved_values(lib, name):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    M = lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    y = SAVED[name](lib, x, M)
    g = y.grad_fn

    def fmt(v):
        if isinstance(v, tuple):
            return tuple(fmt(e) for e in v)     # (IndexBackward0's _saved_indices)
        if hasattr(v, "detach"):
            return (text(v), v is x or v is M, v.grad_fn.name() if v.grad_fn is not None else None)
        return v
    return g, {a: fmt(getattr(g, a)) for a in dir(g) if a.startswith("_saved")}


def test_saved_attributes_as_torch():
    """Every _saved_* jitgrad lists has torch's value; the ones tutorials read are there."""
    must = {"mul": "_saved_other", "sum": "_saved_self_sym_sizes", "mean": "_saved_self_sym_numel",
            "pow": "_saved_exponent", "exp": "_saved_result", "view": "_saved_self_sym_sizes",
            "softmax": "_saved_result", "max": "_saved_self", "mm": "_saved_mat2", "tanh": "_saved_result"}
    for name in SAVED:
        _, got = saved_values(jitgrad, name)
        _, want = saved_values(torch, name)
        assert {a: want.get(a, "missing") for a in got} == got, name
    for name, attr in must.items():
        assert attr in saved_values(jitgrad, name)[1], (name, attr)


def test_node_hooks_do_not_keep_graphs_alive():
    import gc
    import weakref

    def step():
        x = jitgrad.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        z = (y * x).sum()
        z.grad_fn.next_functions[0][0].register_hook(lambda gi, go: (x, y))     # (captures the graph's tensors)
        y.grad_fn.register_prehook(lambda go: None)
        z.backward()
        return weakref.ref(z._tape)
    refs = [step() for _ in range(5)]
    gc.collect()
    assert all(r() is None for r in refs)


def test_node_hooks_with_create_graph_are_a_clear_error():
    x = jitgrad.tensor([1.0, 2.0], requires_grad=True)
    y = x.sin()
    y.grad_fn.register_hook(lambda gi, go: (gi[0] * 0,))
    with pytest.raises(NotImplementedError, match="create_graph=True"):
        jitgrad.autograd.grad(y.sum(), x, create_graph=True)
