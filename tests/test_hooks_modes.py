"""Hooks and grad modes (issue 4), as notebook cells run against torch and
jitgrad with identical transcripts required (see conftest.py): register_hook
on leaves and non-leaves (observing, replacing the gradient, removing the
handle), retain_grad, enable_grad / set_grad_enabled / inference_mode as
context managers and decorators, and detect_anomaly naming the backward op
that produced a nan. A few checks at the end need no torch.
"""
import math
import warnings

import numpy as np
import pytest

import jitgrad

jt = jitgrad


# ----- register_hook ---------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_leaf_hook_observes_and_replaces(differential, dtype):
    differential(
        f"""
        x = torch.tensor([1.0, -2.0, 0.5], dtype=torch.{dtype}, requires_grad=True)
        seen = []
        h1 = x.register_hook(lambda g: seen.append(g.clone()))
        h2 = x.register_hook(lambda g: g * 10)
        (x * x).sum().backward()
        print(seen)
        x.grad
        """,
        # remove the replacing hook: plain accumulation again
        """
        h2.remove()
        (x * 3).sum().backward()
        print(len(seen))
        x.grad
        """,
        "h1.remove()\n(x * 1).sum().backward()\nprint(len(seen))\nx.grad",
    )


def test_hooks_run_in_registration_order_and_chain(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
        order = []
        x.register_hook(lambda g: (order.append(("a", g.tolist())), g + 1)[1])
        x.register_hook(lambda g: (order.append(("b", g.tolist())), g * 2)[1])
        x.register_hook(lambda g: order.append(("c", g.tolist())))
        (x ** 2).sum().backward()
        print(order)
        x.grad
        """,
    )


def test_nonleaf_hook_replaces_gradient_upstream(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
        h = x * 2
        seen = []
        def double(g):
            seen.append(g.clone())
            return g * 2
        handle = h.register_hook(double)
        y = (h ** 2).sum()
        y.backward(retain_graph=True)
        print(seen)
        x.grad
        """,
        """
        handle.remove()
        x.grad = None
        y.backward()
        print(len(seen))
        x.grad
        """,
    )


def test_nonleaf_hook_sees_the_complete_gradient(differential):
    """h feeds two consumers: the hook gets the sum of both contributions."""
    differential(
        """
        x = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
        h = torch.sin(x)
        seen = []
        h.register_hook(lambda g: seen.append(g.clone()))
        y = (h * 3).sum() + (h ** 2).sum() + h[0] * 5
        y.backward()
        print(seen)
        x.grad
        """,
    )


def test_hooks_on_a_chain_of_nonleaves(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        a = x * 3
        b = a.exp()
        c = b.sum()
        log = []
        a.register_hook(lambda g: log.append("a"))
        b.register_hook(lambda g: log.append("b"))
        c.register_hook(lambda g: log.append("c"))
        x.register_hook(lambda g: log.append("x"))
        b.register_hook(lambda g: torch.zeros_like(g))
        c.backward()
        print(log)
        x.grad
        """,
    )


def test_hook_on_tensor_without_grad(differential):
    differential(
        """
        t = torch.tensor([1.0, 2.0])
        t.register_hook(lambda g: g)
        """,
    )


def test_hook_with_autograd_grad(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
        h = x * x
        seen = []
        h.register_hook(lambda g: (seen.append(g.tolist()), g * 0.5)[1])
        y = (h * torch.tensor([1.0, 3.0], dtype=torch.float64)).sum()
        g, = torch.autograd.grad(y, x)
        print(seen)
        g
        """,
    )


def test_hook_with_create_graph(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
        h = x ** 3
        h.register_hook(lambda g: g * 2)
        g, = torch.autograd.grad(h.sum(), x, create_graph=True)
        numeric(g)
        gg, = torch.autograd.grad(g.sum(), x)
        gg
        """,
    )


@pytest.mark.parametrize("how", ["backward", "create_graph"])
def test_hook_returning_wrong_shape(differential, how):
    call = "y.sum().backward()" if how == "backward" else "torch.autograd.grad(y.sum(), x, create_graph=True)"
    differential(
        f"""
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: torch.ones(3))
        {call}
        """,
    )


@pytest.mark.parametrize("create_graph", [False, True])
def test_leaf_hook_applies_in_autograd_grad(differential, create_graph):
    differential(
        f"""
        x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
        x.register_hook(lambda g: g * 10)
        g, = torch.autograd.grad((x * x).sum(), x, create_graph={create_graph})
        g
        """,
    )


@pytest.mark.parametrize("create_graph", [False, True])
def test_leaf_hook_sees_the_total_over_sealed_graphs(differential, create_graph):
    """x enters two tapes (the first sealed by a backward): one hook call, the sum."""
    differential(
        f"""
        x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
        seen = []
        x.register_hook(lambda g: seen.append(g.tolist()))
        y1 = x * 2
        y1.sum().backward(retain_graph=True)
        z = (y1 * x).sum()
        g, = torch.autograd.grad(z, x, create_graph={create_graph})
        print(seen)
        g
        """,
    )


# ----- retain_grad -------------------------------------------------------------

def test_retain_grad(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        h = x * 2
        h.retain_grad()
        print(h.retains_grad, x.retains_grad)
        z = h * h
        z.retain_grad()
        z.sum().backward(retain_graph=True)
        print(h.grad, z.grad)
        """,
        # accumulates over a second backward
        "z.sum().backward()\nh.grad",
        # on a leaf: a no-op
        "x.retain_grad()\nprint(x.retains_grad, x.is_leaf)",
    )


def test_retain_grad_sees_what_hooks_return(differential):
    """retain_grad's .grad is the gradient after the tensor's other hooks."""
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        h = x * 2
        h.retain_grad()
        h.register_hook(lambda g: g * 100)
        h.sum().backward()
        print(h.grad, x.grad)
        """,
    )


@pytest.mark.parametrize("create_graph", [False, True])
def test_retain_grad_is_filled_by_autograd_grad(differential, create_graph):
    differential(
        f"""
        x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
        h = x * 2
        h.retain_grad()
        torch.autograd.grad((h * h).sum(), x, create_graph={create_graph})
        print(h.grad, x.grad)
        """,
    )


def test_retain_grad_and_hooks_with_backward_create_graph(differential):
    differential(
        """
        import warnings
        warnings.simplefilter("ignore")
        x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
        h = x ** 2
        h.retain_grad()
        h.register_hook(lambda g: g * 3)
        (h * x).sum().backward(create_graph=True)
        print(h.grad, x.grad)
        """,
        "torch.autograd.grad(x.grad.sum(), x)",
    )


# ----- grad modes ---------------------------------------------------------------

def test_grad_mode_context_managers(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        with torch.no_grad():
            a = x * 2
            print(torch.is_grad_enabled())
            with torch.enable_grad():
                b = x * 2
                print(torch.is_grad_enabled())
            c = x * 2
        print(a.requires_grad, b.requires_grad, c.requires_grad, torch.is_grad_enabled())
        """,
        """
        with torch.set_grad_enabled(False):
            d = x * 2
            with torch.set_grad_enabled(True):
                e = x * 2
        print(d.requires_grad, e.requires_grad, torch.is_grad_enabled())
        """,
    )


def test_set_grad_enabled_as_a_function(differential):
    differential(
        """
        x = torch.tensor([1.0], requires_grad=True)
        torch.set_grad_enabled(False)
        a = x * 2
        print(torch.is_grad_enabled())
        torch.set_grad_enabled(True)
        b = x * 2
        print(a.requires_grad, b.requires_grad, torch.is_grad_enabled())
        """,
    )


def test_grad_modes_as_decorators(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)

        @torch.no_grad()
        def f1(t):
            return t * 2, torch.is_grad_enabled()

        @torch.no_grad
        def f2(t):
            return t * 2

        @torch.enable_grad()
        def f3(t):
            return t * 2

        @torch.set_grad_enabled(False)
        def f4(t):
            return t * 2

        @torch.inference_mode()
        def f5(t):
            return t * 2, torch.is_grad_enabled()

        @torch.inference_mode(False)
        def f6(t):
            return t * 2
        print(torch.is_grad_enabled())
        """,
        "r, en = f1(x)\nprint(r.requires_grad, en, f1.__name__)",
        "print(f2(x).requires_grad, f2.__name__)",
        "with torch.no_grad():\n    print(f3(x).requires_grad)",
        "print(f4(x).requires_grad, torch.is_grad_enabled())",
        "r, en = f5(x)\nprint(r.requires_grad, en, torch.is_grad_enabled(), f5.__name__)",
        "print(f6(x).requires_grad)",
    )


def test_inference_mode(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        with torch.inference_mode():
            y = x * 2
            print(torch.is_grad_enabled())
        print(y.requires_grad, y.grad_fn, torch.is_grad_enabled())
        """,
        """
        with torch.inference_mode(mode=False):
            z = x * 2
        print(z.requires_grad)
        """,
        """
        with torch.no_grad():
            with torch.inference_mode():
                w = x * 2
            print(torch.is_grad_enabled())
        print(w.requires_grad)
        """,
    )


def test_is_inference_mode_enabled(differential):
    differential(
        """
        print(torch.is_inference_mode_enabled())
        with torch.inference_mode():
            print(torch.is_inference_mode_enabled())
            with torch.inference_mode(False):
                print(torch.is_inference_mode_enabled())
        with torch.no_grad():
            print(torch.is_inference_mode_enabled())
        print(torch.is_inference_mode_enabled())
        """,
    )


def test_grad_mode_restored_after_exception(differential):
    differential(
        """
        def boom():
            with torch.no_grad():
                raise ValueError("inside")
        try:
            boom()
        except ValueError as e:
            print(e)
        print(torch.is_grad_enabled())
        """,
        """
        @torch.inference_mode()
        def boom2():
            raise KeyError("k")
        try:
            boom2()
        except KeyError:
            pass
        print(torch.is_grad_enabled())
        """,
    )


def test_backward_inside_no_grad(differential):
    """The graph was recorded outside; backward works inside no_grad."""
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = (x ** 2).sum()
        with torch.no_grad():
            y.backward()
        x.grad
        """,
    )


def test_create_graph_inside_no_grad(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
        y = (x ** 3).sum()
        with torch.no_grad():
            g, = torch.autograd.grad(y, x, create_graph=True)
        print(g.requires_grad)
        g
        """,
    )


# ----- detect_anomaly ----------------------------------------------------------------

ANOMALY_CASES = {
    # x / y at 0 / 0: d/dx = 1/0 = inf, d/dy = -0/0 = nan: torch names output 1
    "div": "x = torch.tensor([0.0, 1.0], requires_grad=True)\ny0 = torch.tensor([0.0, 1.0], "
           "requires_grad=True)\ny = (x / y0).sum()",
    # the same with one operand: still output 1 (each output checked alone)
    "div_same_operand": "x = torch.tensor([0.0, 1.0], requires_grad=True)\ny = (x / x).sum()",
    "sqrt": "x = torch.tensor([0.0, 4.0], requires_grad=True)\ny = (torch.sqrt(x) * 0).sum()",
    "log": "x = torch.tensor([0.0, 2.0], requires_grad=True)\ny = (torch.log(x) * 0).sum()",
    # a Python exponent: torch's PowBackward0 (a tensor exponent: PowBackward1)
    "pow_scalar_exponent": "x = torch.tensor([0.0, 2.0], requires_grad=True)\ny = (x ** 0.5 * 0).sum()",
    "pow_tensor_exponent": "x = torch.tensor([0.0, 2.0], requires_grad=True)\ne = torch.tensor([0.5, 0.5], "
                           "requires_grad=True)\ny = (x ** e * 0).sum()",
    "chain": "x = torch.tensor([1.0, -1.0], requires_grad=True)\ny = torch.exp(torch.sqrt(x) * 0 + 1).sum()",
}


@pytest.mark.parametrize("case", list(ANOMALY_CASES))
def test_detect_anomaly_names_the_op(run_cells, mut, case):
    """The error names the backward op that returned nan, as torch's does.
    (torch also warns with the forward traceback; that is not compared.)"""
    torch = pytest.importorskip("torch")
    cells = [ANOMALY_CASES[case], "with torch.autograd.detect_anomaly():\n    y.backward()"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = [c.error for c in run_cells(torch, cells)]
        got = [c.error for c in run_cells(mut, cells)]
    assert want[1] is not None and "returned nan values" in want[1]
    assert got == want


def test_detect_anomaly_warns_on_entry(differential):
    differential(
        """
        x = torch.tensor([1.0, 4.0], requires_grad=True)
        with torch.autograd.detect_anomaly():
            torch.sqrt(x).sum().backward()
        x.grad
        """,
        """
        @torch.autograd.detect_anomaly()
        def f(t):
            return (t * 2).sum()
        f(x)
        """,
    )


def test_set_detect_anomaly_as_a_function(run_cells, mut):
    """A plain call switches anomaly mode on and off (torch's forward
    traceback warning is not compared)."""
    torch = pytest.importorskip("torch")
    cells = ["torch.autograd.set_detect_anomaly(True)\nx = torch.tensor([0.0, 1.0], requires_grad=True)\n"
             "(torch.sqrt(x) * 0).sum().backward()",
             "torch.autograd.set_detect_anomaly(False)\n(torch.sqrt(x) * 0).sum().backward()\nx.grad"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = [(c.error, c.value) for c in run_cells(torch, cells)]
        got = [(c.error, c.value) for c in run_cells(mut, cells)]
    assert want[0][0] is not None and want[1][0] is None
    assert got == want


def test_set_detect_anomaly_and_is_anomaly_enabled(differential):
    differential(
        """
        print(torch.is_anomaly_enabled())
        with torch.autograd.set_detect_anomaly(True):
            print(torch.is_anomaly_enabled())
            with torch.autograd.set_detect_anomaly(False):
                print(torch.is_anomaly_enabled())
            print(torch.is_anomaly_enabled())
        print(torch.is_anomaly_enabled())
        """,
        "x = torch.tensor([0.0], requires_grad=True)\n(x / x).sum().backward()\nx.grad",
    )


# ----- without torch ---------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:Anomaly Detection has been enabled")
def test_anomaly_mode_off_gives_nan_silently():
    x = jt.tensor([0.0, 1.0], requires_grad=True)
    (x / x).sum().backward()
    assert math.isnan(x.grad[0].item()) and x.grad[1].item() == 0.0
    x.grad = None
    with jt.autograd.detect_anomaly():
        with pytest.raises(RuntimeError, match="DivBackward0"):
            (x / x).sum().backward()
    assert not jt.autograd.is_anomaly_enabled()


@pytest.mark.filterwarnings("ignore:Anomaly Detection has been enabled")
def test_anomaly_mode_does_not_change_results():
    w = jt.tensor(np.linspace(-1, 1, 6), requires_grad=True)
    y = (jt.tanh(w * 3) @ jt.exp(w)) + (w * w).cumsum(0).sum() + jt.sqrt(w.abs() + 1).sum()
    y.backward(retain_graph=True)
    plain = w.grad.numpy().copy()
    w.grad = None
    with jt.autograd.detect_anomaly():
        y.backward()
    np.testing.assert_array_equal(w.grad.numpy(), plain)


def test_anomaly_mode_accepts_pow_of_a_negative_base():
    """x ** 2 at x < 0 is fine: d/dexponent (a constant here) would be nan."""
    torch = pytest.importorskip("torch")
    for lib in (torch, jt):
        w = lib.tensor([-1.5, 2.0], requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with lib.autograd.detect_anomaly():
                (w ** 2).sum().backward()
        assert w.grad.tolist() == [-3.0, 4.0], lib.__name__


def test_hook_replacement_reaches_leaf_through_batched_grad():
    """A non-leaf hook applies to every seed of a batched gradient."""
    x = jt.tensor([1.0, 2.0], dtype=jt.float64, requires_grad=True)
    h = x * 3
    h.register_hook(lambda g: g * 2)
    y = h ** 2
    seeds = jt.eye(2, dtype=jt.float64)
    g, = jt.autograd.grad(y, x, seeds, is_grads_batched=True)
    np.testing.assert_allclose(g.numpy(), np.diag(2 * 2 * 3 * 3 * np.array([1.0, 2.0])))


def test_grad_mode_classes_print_from_autograd_grad_mode_as_torch():
    import torch
    from jitgrad.autograd import grad_mode
    for name in ("no_grad", "enable_grad", "inference_mode", "set_grad_enabled"):
        assert repr(getattr(jitgrad, name)).replace("jitgrad.", "torch.") == repr(getattr(torch, name))
        assert getattr(grad_mode, name) is getattr(jitgrad, name)
