"""Regression tests for the differences sweep 20's user programs found, each
run under torch and jitgrad (conftest's `differential`: printed output,
errors and warnings compared)."""
import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")


def test_tensor_op_ndarray_is_numpys_operator(differential):
    # torch's operators refuse an ndarray (NotImplemented): `t * arr` is
    # NumPy's reflected operator on the tensor's values (NumPy's dtypes, a
    # tensor back through __array_wrap__ with NumPy 2's DeprecationWarning),
    # `arr * t` a TypeError. jitgrad computed both in torch's dtypes.
    differential(
        "import numpy as np\nt = torch.tensor([1.0, 2.0])\n"
        "print(t - np.array([2]), t * np.array(2.0), t / np.array([2.0, 4.0]), t ** np.array([2.0, 1.0]))",
        "import numpy as np\nprint(torch.tensor([1, 2]) + np.array([0.5, 0.5]), torch.tensor([True]) & np.array([True]))",
        "import numpy as np\nnp.array([2.0]) * torch.tensor([1.0])",
        "import numpy as np\nnp.array([2.0]) - torch.tensor([1.0])",
        "import numpy as np\nnp.array([2.0]) ** torch.tensor([1.0])",
        "import numpy as np\nnp.array([True]) | torch.tensor([True])",
        "import numpy as np\nprint(np.array([1.0, 4.0]) / torch.tensor([1.0, 2.0]))",
    )


def test_tensor_ndarray_needs_grad_free_tensor(differential):
    differential(
        "import numpy as np\nw = torch.tensor([1.0, 2.0], requires_grad=True)\nw * np.array([2.0, 3.0])",
        "import numpy as np\nw = torch.tensor([1.0, 2.0], requires_grad=True)\nw * np.array(2.0)",
        "import numpy as np\nw = torch.tensor([1.0, 2.0], requires_grad=True)\nprint(w * np.float64(2.0), w + np.int64(1))",
    )


def test_inplace_operator_with_ndarray_rebinds(differential):
    differential(
        "import numpy as np\nu = torch.tensor([1.0]); v = u\nu -= np.array([2.0])\nprint(u, v, u is v)",
        "import numpy as np\nu = torch.tensor([1.0]); v = u\nu *= np.array(2.0)\nprint(u, v, u is v)",
        "import numpy as np\nm = torch.tensor([True, False]); k = m\nm &= np.array([True, True])\nprint(m, k)",
        "import numpy as np\nu = torch.tensor([1.0]); v = u\nu *= np.float64(2.0)\nprint(u, v, u is v)",
    )


def test_comparisons_with_ndarray(differential):
    differential(
        "import numpy as np\nt = torch.tensor([1.0, 2.0])\nprint(t == np.array([1.0, 4.0]), np.array([1, 2]) == t, t != np.array([1.0, 4.0]))",
        "import numpy as np\ntorch.tensor([1.0, 2.0]) < np.array([1.0, 4.0])",
        "import numpy as np\nnp.array([1.0, 4.0]) >= torch.tensor([1.0, 2.0])",
    )


def test_argument_errors_name_numpy_types(differential):
    # torch's parser prints C's tp_name: numpy.ndarray
    differential(
        "import numpy as np\ntorch.tensor([1.0]).add(np.array([2.0]))",
        "import numpy as np\ntorch.tensor([1.0]).mul_(np.array([2.0]))",
        "import numpy as np\ntorch.eq(torch.tensor([1.0]), np.array([2.0]))",
        "import numpy as np\ntorch.cat([torch.tensor([1.0]), np.array([2.0])])",
        "import numpy as np\ntorch.tensor([1.0]).copy_(np.array([2.0]))",
        "import numpy as np\ntorch.tensor([1.0]).pow_(np.array([2.0]))",
    )


def test_renorm_with_tensor_maxnorm(differential):
    # (jitgrad's renorm compared an ndarray with the tensor maxnorm)
    differential("x = torch.tensor([[3.0, 4.0], [0.3, 0.4]], requires_grad=True)\n"
                 "y = x.renorm(2, 0, torch.tensor(1.0))\ny.sum().backward()\nprint(y, x.grad)")


def test_block_diag_of_nothing(differential):
    differential("print(torch.block_diag(), torch.block_diag().dtype)",
                 "torch.set_default_dtype(torch.float64)\nprint(torch.block_diag().dtype)\n"
                 "torch.set_default_dtype(torch.float32)")


def test_clip_grad_value_without_gradients(differential):
    # torch 2.13 groups the (empty) list of gradients first, which raises
    differential("p = torch.nn.Parameter(torch.ones(3))\ntorch.nn.utils.clip_grad_value_([p], 1.0)",
                 "torch.nn.utils.clip_grad_value_([], 1.0)",
                 "p = torch.nn.Parameter(torch.ones(3))\nq = torch.nn.Parameter(torch.ones(2))\n"
                 "q.grad = torch.tensor([5.0, -0.5])\nprint(torch.nn.utils.clip_grad_value_([p, q], 1.0), q.grad)")


def test_set_printoptions_unknown_profile_is_ignored(differential):
    differential("torch.set_printoptions(profile='nope')\nprint(torch.tensor([1 / 3]))",
                 "torch.set_printoptions(precision=2, profile='wide')\nprint(torch.tensor([1 / 3]))\n"
                 "torch.set_printoptions(profile='default')")


def test_disable_saved_tensors_hooks_inside_hooks(differential):
    differential(
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):\n"
        "    with torch.autograd.graph.disable_saved_tensors_hooks('no hooks here'):\n"
        "        print('entered')",
        "with torch.autograd.graph.disable_saved_tensors_hooks('outer'):\n"
        "    with torch.autograd.graph.disable_saved_tensors_hooks('inner'):\n"
        "        pass\n"
        "    with torch.autograd.graph.save_on_cpu():\n"
        "        pass",
        "print(type(torch.autograd.graph.disable_saved_tensors_hooks('m')).__name__)",
    )


def test_func_reverse_transforms_refuse_saved_tensors_hooks(differential):
    # torch.func's grad, vjp and jacrev run under disable_saved_tensors_hooks
    setup = ("x = torch.tensor([1.0, 2.0])\nf = lambda v: (v * v).sum()\n"
             "def inner(v):\n    with torch.autograd.graph.save_on_cpu():\n        return (v * v).sum()\n")
    cells = [setup]
    for call in ("torch.func.grad(f)(x)", "torch.func.vjp(f, x)[0]", "torch.func.jacrev(f)(x)",
                 "torch.func.hessian(f)(x)", "torch.func.grad_and_value(f)(x)"):
        cells.append(f"with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):\n    {call}")
    cells += ["with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):\n"
              "    print(torch.func.jacfwd(f)(x), torch.func.jvp(f, (x,), (x,)))",
              "torch.func.grad(inner)(x)", "print(torch.func.jacfwd(inner)(x))"]
    differential(*cells)


def _typed_storage_warned(flag: bool):
    # torch warns about TypedStorage the first time in a process only
    torch.storage._warn_typed_storage_removal.__dict__["has_warned"] = flag
    from jitgrad.functional import storages
    storages._TYPED_WARNED[0] = flag


def test_tensor_storage_first_call_warns(differential):
    _typed_storage_warned(False)
    try:
        differential("a = torch.arange(4.)\ns = a[1:].storage()\nprint(len(s), s.dtype)",
                     "print(a.storage())")
    finally:
        _typed_storage_warned(True)


def test_tensor_storage_shared_by_views(differential):
    _typed_storage_warned(True)
    differential(
        "a = torch.arange(6.)\nb = a.view(2, 3).t()\ns = a.storage()\n"
        "print(s.data_ptr() == b.storage().data_ptr(), s.data_ptr() == a.clone().storage().data_ptr())\n"
        "print(len(s), s.size(), s.nbytes(), s.element_size(), s.type(), s[2], b.storage().tolist(), s is a.storage())",
        "print(torch.tensor([0.1, 2.5], dtype=torch.float16).storage(), torch.tensor([], dtype=torch.int64).storage())",
        "print(torch.tensor([True, False]).storage(), list(torch.tensor([7, 8], dtype=torch.uint8).storage()))",
    )


def test_in_operator_searches_every_element(differential):
    # (jitgrad had no __contains__: Python iterated rows and bool() of a row raised)
    differential("t = torch.tensor([[1, 2], [3, 4]])\nprint(1 in t, 5 in t, torch.tensor([1, 2]) in t, 2.5 in t.float())",
                 "'a' in torch.tensor([1])",
                 "None in torch.tensor([1.0])")


def test_assigning_tensor_attributes(differential):
    # torch: read-only attributes are "not writable"; `.data` takes tensors only
    differential("x = torch.ones(2, 3)\nx.shape = (3, 2)",
                 "x = torch.ones(2, 3, requires_grad=True)\nx.is_leaf = False",
                 "x = torch.ones(2, 3, requires_grad=True)\n(x * 2).grad_fn = None\nx.T = x",
                 "x = torch.ones(2, 3)\nx.device = 'cpu'",
                 "x = torch.ones(2, 3)\nx.data = [1.0, 2.0]",
                 "import numpy as np\nx = torch.ones(2)\nx.data = np.zeros(2)",
                 "x = torch.ones(2)\nx.data = torch.zeros(3, dtype=torch.float64)\nprint(x, x.grad, x.requires_grad)")


def test_grad_accumulates_after_data_changes_shape(differential):
    # torch adds into the old .grad in place (`grad += new`): its broadcast errors,
    # or the broadcast sum (jitgrad: a NumPy ValueError, a 0-d .grad took one element)
    cells = []
    for old, new in [((2,), (3,)), ((1,), (3,)), ((), (3,)), ((3,), (1,)), ((3,), ()), ((2, 3), (3, 2))]:
        cells.append(f"p = torch.nn.Parameter(torch.ones({old}))\n(p * 2).sum().backward()\n"
                     f"p.data = torch.zeros({new})\n(p * 2).sum().backward()\nprint(p.grad)")
    differential(*cells)
