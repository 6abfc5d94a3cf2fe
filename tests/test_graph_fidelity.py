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


def test_parameter_module_name():
    assert type(jitgrad.nn.Parameter(jitgrad.ones(1))).__module__ == "jitgrad.nn.parameter"
