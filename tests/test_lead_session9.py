"""Session 9 (lead): prints of libraries while a function records; the
softmax family's shift as one record."""
import io
import math
import warnings

import numpy as np
import pytest
import torch

import jitgrad as jg
from jitgrad.core import kernels as K


def _library_print():
    print("# File: annotations", file=io.StringIO())


# A function of a library module (Numba prints its type annotations into a
# buffer while it compiles a kernel, which a recording on a cold cache ran into).
_numba_like = type(_library_print)(_library_print.__code__, {"__name__": "numba.core.fake", "print": print, "io": io})


def test_a_library_print_while_recording_does_not_make_the_function_eager():
    def f(x):
        _numba_like()
        return (x * 2.0).sin().sum()

    cf = jg.compile(f)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="jitgrad.compile")
        for v in ([0.5, 1.0], [2.0, -1.0], [3.0, 0.25]):
            x = jg.tensor(v, requires_grad=True)
            y = cf(x)
            y.backward()
            t = jg.tensor(v, requires_grad=True)
            (t * 2.0).sin().sum().backward()       # eager, bit for bit
            assert y.item() == (t * 2.0).sin().sum().item()
            assert np.array_equal(x.grad.numpy(), t.grad.numpy())
    assert cf.records == 1 and cf.replays == 2, cf.report()


def test_a_user_print_while_recording_still_runs_eagerly(capsys):
    def f(x):
        print("loss")
        return x.sum()

    cf = jg.compile(f)
    with pytest.warns(RuntimeWarning, match="print"):
        cf(jg.ones(2, requires_grad=True))
    cf(jg.ones(2, requires_grad=True))
    assert capsys.readouterr().out == "loss\nloss\n"


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_the_softmax_shift_is_one_record_and_replays_every_case(name, dtype):
    """Each call's vector needs another shift: finite, all -inf, +inf, nan,
    signed zeros; values and gradients bit for bit eager jitgrad, and torch's."""
    rows = [[0.5, 3.0, -1.0, 2.0], [100.0, 101.0, 99.0, -5.0], [-math.inf] * 4,
            [1.0, math.inf, 0.0, 2.0], [math.nan, 1.0, 2.0, 3.0], [-0.0, 0.0, -0.0, -1.0],
            [-math.inf, 2.0, -math.inf, 1.0]]

    def fn(lib, x):
        v = lib.stack([x[0] * 1.5, x[1], x[2] - 0.5, x[3]])
        if name == "logsumexp":
            return lib.logsumexp(v, 0) * 2.0
        return (getattr(lib.nn.functional, name)(v, dim=0) * lib.arange(1.0, 5.0, dtype=v.dtype)).sum()

    cf = jg.compile(lambda x: fn(jg, x))
    for r in rows:
        outs = []
        for lib, f in ((jg, cf), (jg, lambda x: fn(jg, x)), (torch, lambda x: fn(torch, x))):
            x = lib.tensor(r, dtype=getattr(lib, dtype), requires_grad=True)
            y = f(x)
            y.backward()
            outs.append((y.detach().numpy(), x.grad.numpy()))
        for k in range(2):      # replay bit for bit eager; both as torch
            np.testing.assert_array_equal(outs[0][k], outs[1][k])
            tol = 1e-6 if dtype == "float32" else 1e-13
            np.testing.assert_allclose(outs[0][k], outs[2][k], rtol=tol, atol=1e-30)
    assert cf.records == 1 and cf.replays == len(rows) - 1, cf.report()
    ops = cf.tapes[0].rec[:, 0].tolist()
    shift = K.SHIFT_OF_MAX if name == "logsumexp" else K.SHIFT_OF_MAX_KEEP_INF
    i = ops.index(shift)      # the max of x's slots, read without a copy each
    assert ops.count(shift) == 1 and K.MASK_KEEP not in ops and ops[i - 4:i] == [K.COPY] + [K.MAXIMUM] * 3


# ----- torch.nn.modules' submodules and base classes ---------------------------

_SUBMODULES = ["batchnorm", "dropout", "instancenorm", "normalization", "pooling", "sparse", "flatten", "fold",
               "distance", "pixelshuffle", "channelshuffle", "upsampling", "padding", "conv", "linear", "loss",
               "activation", "container", "module", "rnn", "transformer"]
# (torch classes jitgrad does not have: sync / fractional / cross-map, and
# torch's lazy-mixin internals)
_ABSENT = {"SyncBatchNorm", "FractionalMaxPool2d", "FractionalMaxPool3d", "CrossMapLRN2d", "_LazyNormBase",
           "_LazyConvXdMixin", "_ConvTransposeMixin", "_ConvTransposeNd", "LinearCrossEntropyLoss",
           "NonDynamicallyQuantizableLinear", "_WrappedHook", "ReflectionPad3d", "ReplicationPad3d", "CircularPad3d",
           "ConstantPad3d", "ZeroPad3d"}


def _torch_module_classes():
    import importlib
    import pkgutil
    import torch.nn.modules as TM
    out = set()
    for m in pkgutil.iter_modules(TM.__path__):
        tmod = importlib.import_module(f"torch.nn.modules.{m.name}")
        out |= {n for n, v in vars(tmod).items() if isinstance(v, type) and v.__module__.startswith("torch.nn.modules")}
    return out


_TORCH_CLASSES = _torch_module_classes()


@pytest.mark.parametrize("name", _SUBMODULES)
def test_torch_nn_modules_submodules_hold_torch_classes(name):
    """`from torch.nn.modules.<name> import X` works for torch's classes, and
    each has torch's module base classes (isinstance checks such as
    isinstance(m, nn.modules.batchnorm._BatchNorm) answer as torch's)."""
    import importlib
    tmod = importlib.import_module(f"torch.nn.modules.{name}")
    jmod = importlib.import_module(f"jitgrad.nn.modules.{name}")
    names = [n for n, v in vars(tmod).items() if isinstance(v, type) and v.__module__ == tmod.__name__
             and issubclass(v, torch.nn.Module) and n not in _ABSENT and not n.startswith("Lazy")]
    assert names
    for n in names:
        tcls, jcls = getattr(tmod, n), getattr(jmod, n)
        tbases = {c.__name__ for c in tcls.__mro__ if c.__module__.startswith("torch.nn.modules")}
        # (jitgrad's own helper bases aside: the torch classes among its bases are torch's)
        jbases = {c.__name__ for c in jcls.__mro__} & _TORCH_CLASSES
        assert tbases == jbases, (n, tbases, jbases)
    if name == "instancenorm":
        assert not issubclass(jmod.InstanceNorm2d, importlib.import_module("jitgrad.nn.modules.batchnorm")._BatchNorm)


def test_norm_layers_isinstance_as_torch():
    from torch.nn.modules.batchnorm import _BatchNorm as TB, _NormBase as TN
    from jitgrad.nn.modules.batchnorm import _BatchNorm as JB, _NormBase as JN
    for n in ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d",
              "LayerNorm", "GroupNorm"]:
        args = (2, 4) if n == "GroupNorm" else (4,)
        t, j = getattr(torch.nn, n)(*args), getattr(jg.nn, n)(*args)
        assert (isinstance(t, TB), isinstance(t, TN)) == (isinstance(j, JB), isinstance(j, JN)), n
        assert repr(t) == repr(j)
        assert sorted(t.state_dict()) == sorted(j.state_dict())


def test_padding_and_pooling_bases_and_reprs():
    for n, args in [("ZeroPad1d", (2,)), ("ZeroPad2d", ((1, 2, 3, 4),)), ("ConstantPad1d", (2, 1.5)),
                    ("ReflectionPad1d", (1,)), ("ReplicationPad2d", (1,)), ("CircularPad1d", (2,)),
                    ("AvgPool1d", (3,)), ("AvgPool2d", (2,)), ("AvgPool3d", (2,)), ("AdaptiveAvgPool2d", (3,)),
                    ("AdaptiveMaxPool1d", (2,)), ("Dropout", (0.3,)), ("AlphaDropout", (0.2,))]:
        t, j = getattr(torch.nn, n)(*args), getattr(jg.nn, n)(*args)
        assert repr(t) == repr(j), n
        tb = {c.__name__ for c in type(t).__mro__}
        assert tb <= {c.__name__ for c in type(j).__mro__} | {"object"}, n
        if n.startswith("ZeroPad") or n.startswith("ConstantPad"):
            assert t.value == j.value
    x = np.arange(6.0).reshape(1, 1, 6)
    for n in ["ZeroPad1d", "ReflectionPad1d", "CircularPad1d"]:
        got = getattr(jg.nn, n)(2)(jg.tensor(x)).numpy()
        want = getattr(torch.nn, n)(2)(torch.tensor(x)).numpy()
        np.testing.assert_array_equal(got, want)


def test_nn_modules_utils_parsers():
    from torch.nn.modules import utils as TU
    from jitgrad.nn.modules import utils as JU
    for f in ["_single", "_pair", "_triple", "_quadruple"]:
        for v in (3, (1, 2), [4, 5, 6], 2.5):
            assert getattr(TU, f)(v) == getattr(JU, f)(v)
    assert TU._ntuple(3)(7) == JU._ntuple(3)(7)
    assert TU._reverse_repeat_tuple((1, 2, 3), 2) == JU._reverse_repeat_tuple((1, 2, 3), 2)
    assert TU._list_with_default([None, 3], [1, 2, 5, 7]) == JU._list_with_default([None, 3], [1, 2, 5, 7])
    with pytest.raises(ValueError, match="Input dimension should be at least 3"):
        JU._list_with_default([None, 3], [7])


# ----- grad_fn._raw_saved_<name>.register_hooks (the saved tensors hooks tutorial) ----------

def _raw_saved_program(lib, say):
    def pack_hook(x):
        say("Packing", x)
        return x

    def unpack_hook(x):
        say("Unpacking", x)
        return x
    a = lib.ones(3, requires_grad=True)
    b = lib.ones(3, requires_grad=True) * 2
    y = a * b
    y.grad_fn._raw_saved_self.register_hooks(pack_hook, unpack_hook)
    say("access", y.grad_fn._saved_self)
    for again in ("_raw_saved_self", "_raw_saved_other"):
        try:
            getattr(y.grad_fn, again).register_hooks(pack_hook, unpack_hook)
        except RuntimeError as e:
            say(again, "RuntimeError", str(e))
        y.sum().backward() if again == "_raw_saved_self" else None
    say(a.grad, b.grad if b.grad is not None else "")
    try:
        say(y.grad_fn._saved_self)
    except RuntimeError as e:
        say("freed", str(e)[:60])
    x = lib.tensor([0.5, 1.5], requires_grad=True)
    z = x.pow(2)
    z.grad_fn._raw_saved_self.register_hooks(pack_hook, unpack_hook)
    z.sum().backward(retain_graph=True)
    z.sum().backward()
    say(x.grad, sorted(n for n in dir(z.grad_fn) if "saved" in n))


def test_raw_saved_tensor_hooks_as_torch():
    out = {}
    for lib in (torch, jg):
        lines = []
        _raw_saved_program(lib, lambda *a: lines.append(" ".join(str(v) for v in a)))
        out[lib.__name__] = lines
    assert out["jitgrad"] == out["torch"]
    assert any("whose hooks have already been set" in s for s in out["torch"])
    assert any("after it has been freed" in s for s in out["torch"])


# ----- torch.nn.grad (a custom Function's convolution backward) -------------------

@pytest.mark.parametrize("nd", [1, 2, 3])
def test_nn_grad_conv_input_and_weight_as_torch(nd):
    rng = np.random.default_rng(nd)
    shape_x = (2, 4) + (7,) * nd
    shape_w = (6, 2) + (3,) * nd
    x, w = rng.normal(size=shape_x), rng.normal(size=shape_w)
    kw = dict(stride=2, padding=1, dilation=1, groups=2)
    out = {}
    for lib in (torch, jg):
        X, W = lib.tensor(x), lib.tensor(w)
        conv = getattr(lib.nn.functional, f"conv{nd}d")
        y = conv(X, W, None, **kw)
        gy = lib.tensor(rng.normal(size=tuple(y.shape))) if lib is torch else lib.tensor(out["gy"])
        out["gy"] = gy.numpy()
        gi = getattr(lib.nn.grad, f"conv{nd}d_input")(X.shape, W, gy, **kw)
        gw = getattr(lib.nn.grad, f"conv{nd}d_weight")(X, W.shape, gy, **kw)
        out[lib.__name__] = (gi.numpy(), gw.numpy(), gi.requires_grad)
    for k in range(2):
        np.testing.assert_allclose(out["jitgrad"][k], out["torch"][k], rtol=1e-12, atol=1e-12)
    assert out["jitgrad"][2] == out["torch"][2]


def test_custom_function_conv_backward_with_nn_grad():
    """The conv + batch-norm fusion tutorial's pattern: a Function whose
    backward calls torch.nn.grad.conv2d_input / conv2d_weight."""
    def make(lib):
        class Conv(lib.autograd.Function):
            @staticmethod
            def forward(ctx, X, weight):
                ctx.save_for_backward(X, weight)
                return lib.nn.functional.conv2d(X, weight)

            @staticmethod
            def backward(ctx, grad_out):
                X, weight = ctx.saved_tensors
                return (lib.nn.grad.conv2d_input(X.shape, weight, grad_out),
                        lib.nn.grad.conv2d_weight(X, weight.shape, grad_out))
        return Conv
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(2, 3, 6, 6)), rng.normal(size=(4, 3, 3, 3))
    grads = {}
    for lib in (torch, jg):
        X, W = lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)
        make(lib).apply(X, W).pow(2).sum().backward()
        grads[lib.__name__] = (X.grad.numpy(), W.grad.numpy())
    for k in range(2):
        np.testing.assert_allclose(grads["jitgrad"][k], grads["torch"][k], rtol=1e-12, atol=1e-12)
    from torch.nn.utils.convert_parameters import parameters_to_vector as tp
    from jitgrad.nn.utils.convert_parameters import parameters_to_vector as jp
    assert tp([torch.ones(2), torch.zeros(1)]).tolist() == jp([jg.ones(2), jg.zeros(1)]).tolist()


# ----- torch.utils._pytree ---------------------------------------------------------

def test_pytree_as_torch():
    import collections
    import torch.utils._pytree as TP
    import jitgrad.utils._pytree as JP
    NT = collections.namedtuple("NT", "a b")

    class Sub(dict):
        pass
    trees = [{"a": [1, (2, 3)], "b": None}, collections.OrderedDict(x=1, y=[2]),
             collections.defaultdict(list, {"k": (4, 5)}), collections.deque([1, 2], maxlen=3), NT(1, [2, 3]),
             (), [], {}, None, 7, Sub(a=1), [1, [2, [3, [4]]]]]
    for t in trees:
        (tl, ts), (jl, js) = TP.tree_flatten(t), JP.tree_flatten(t)
        assert tl == jl and repr(ts) == repr(js) and (ts.num_leaves, ts.num_nodes) == (js.num_leaves, js.num_nodes)
        assert TP.tree_unflatten([str(v) for v in tl], ts) == JP.tree_unflatten([str(v) for v in jl], js)
        assert type(JP.tree_unflatten(jl, js)) is type(t)
    f = (lambda a, b: a * 10 + b)
    assert TP.tree_map(f, (1, [2, {"k": 3}]), (4, [5, {"k": 6}])) == JP.tree_map(f, (1, [2, {"k": 3}]), (4, [5, {"k": 6}]))
    assert TP.tree_map_only(int, lambda v: -v, (1, 2.5, [3])) == JP.tree_map_only(int, lambda v: -v, (1, 2.5, [3]))
    leaf = (lambda x: isinstance(x, list) and len(x) == 2)
    assert repr(TP.tree_flatten([1, [2, 3]], is_leaf=leaf)) == repr(JP.tree_flatten([1, [2, 3]], is_leaf=leaf))
    for bad in [(10, 20), (10, [20, 30])]:
        with pytest.raises(ValueError) as te:
            TP.tree_map(lambda a, b: a, (1, [2]), bad)
        with pytest.raises(ValueError) as je:
            JP.tree_map(lambda a, b: a, (1, [2]), bad)
        assert str(te.value) == str(je.value)
    spec = JP.tree_structure((1, 2))
    with pytest.raises(ValueError, match="has length 1 but the spec refers to a pytree that holds 2 items"):
        JP.tree_unflatten([1], spec)
    assert JP.tree_all(lambda v: v > 0, [1, (2, 3)]) and not JP.tree_any(lambda v: v > 5, [1, (2, 3)])


def test_vmap_over_an_ordered_dict_keeps_its_type():
    import collections
    rs = []
    for lib in (torch, jg):
        d = collections.OrderedDict(w=lib.arange(6.0).reshape(3, 2), b=lib.ones(3))
        out = lib.func.vmap(lambda p: collections.OrderedDict(s=p["w"].sum() + p["b"]))(d)
        rs.append((type(out), out["s"].tolist()))
    assert rs[0] == rs[1]


# ----- Module.register_backward_hook (the deprecated, non-full hook) -------------------

def test_register_backward_hook_prints_as_torch():
    """Guided backprop's ReLU hooks (grad_input replaced), Grad-CAM's reads of
    grad_output on Linear / Conv2d, a Sequential's last node, the warnings
    and the errors: the script prints what torch's prints."""
    import os
    import subprocess
    import sys
    script = os.path.join(os.path.dirname(__file__), "_nonfull_backward_hooks.py")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(jg.__file__))))
    outs = [subprocess.run([sys.executable, script, lib], capture_output=True, text=True, env=env, timeout=120)
            for lib in ("torch", "jitgrad")]
    assert outs[0].returncode == 0 and outs[1].returncode == 0, outs[1].stderr
    assert outs[1].stdout == outs[0].stdout


def test_register_backward_hook_grad_input_of_a_composite_node_is_refused():
    m = jg.nn.Linear(3, 2)
    m.register_backward_hook(lambda mod, gin, gout: print(gin[0]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        y = m(jg.randn(4, 3, requires_grad=True))
    with pytest.raises(NotImplementedError, match="can't read grad_input"):
        y.sum().backward()


def test_state_dict_overrides_and_old_batch_norm_dicts_as_torch():
    """_save_to_state_dict / _load_from_state_dict overridden with torch's
    signatures (keys renamed on load, an extra key saved), and a batch norm's
    dict without num_batches_tracked: the script prints what torch's prints."""
    import os
    import subprocess
    import sys
    script = os.path.join(os.path.dirname(__file__), "_state_dict_overrides.py")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(jg.__file__))))
    outs = [subprocess.run([sys.executable, script, lib], capture_output=True, text=True, env=env, timeout=120)
            for lib in ("torch", "jitgrad")]
    assert outs[0].returncode == 0 and outs[1].returncode == 0, outs[1].stderr
    assert outs[1].stdout == outs[0].stdout
