"""Differential tests (torch is the oracle, see conftest.py) for autograd
misuse errors and their exact messages, and for the autograd behaviours the
users' notebooks rely on.

Each test runs notebook-style cells against torch and against the module
under test and requires identical transcripts: printed text, displayed value
of each cell's last expression, error type and message, warnings (category,
message, the user line they point at), and numbers recorded with
``numeric(...)`` (compared with torch.testing tolerances).  Printed float32
values are kept to small, exactly representable or well-conditioned numbers
so that their 4-digit reprs are not sensitive to the last ulp; values that
are, go through ``numeric``.
"""

import pytest

FLOAT_DTYPES = ["float32", "float64"]


# ---------------------------------------------------------------------------
# errors


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("shape_src", ["[1.5, -2.0, 0.25]", "[[1.0, 2.0], [3.0, 4.0]]"], ids=["vector", "matrix"])
def test_backward_of_non_scalar_without_gradient(differential, dtype, shape_src):
    differential(
        f"""
        x = torch.tensor({shape_src}, dtype=torch.{dtype}, requires_grad=True)
        y = x * 2
        y.backward()
        """,
        "print(x.grad)",
        # the graph is intact: a gradient argument makes it work
        "y.backward(torch.ones_like(y))\nx.grad",
    )


def test_backward_of_one_element_tensors_is_implicit(differential):
    differential(
        """
        x = torch.tensor([1.5], requires_grad=True)
        (x * x).backward()
        x.grad
        """,
        """
        m = torch.tensor([[2.0]], dtype=torch.float64, requires_grad=True)
        (m * 3).backward()
        m.grad
        """,
    )


@pytest.mark.parametrize("op", ["-=", "+=", "*=", "/="])
def test_inplace_on_leaf_requiring_grad(differential, op):
    differential(
        """
        x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
        (x * x).sum().backward()
        """,
        f"x {op} 0.5",
        # unchanged by the failed in-place op
        "x",
        f"""
        with torch.no_grad():
            x {op} 0.5
        x, x.requires_grad, x.is_leaf, x.grad_fn, x.grad
        """,
        # the updated value is used by the next backward
        """
        x.grad = None
        (x * x).sum().backward()
        x.grad
        """,
    )


@pytest.mark.parametrize("op", ["-=", "+=", "*=", "/="])
def test_inplace_with_tensor_operand_on_leaf_requiring_grad(differential, op):
    differential(
        """
        w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
        (w * w).sum().backward()
        """,
        f"w {op} 0.25 * w.grad",
        f"""
        with torch.no_grad():
            w {op} 0.25 * w.grad
        print(w)
        print(w.grad)
        """,
    )


def test_inplace_allowed_on_tensors_not_requiring_grad_and_on_non_leaves(differential):
    differential(
        """
        a = torch.tensor([1.0, 2.0])
        a += 1
        a *= 3
        a
        """,
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y += 1
        print(y, y.is_leaf)
        y.sum().backward()
        x.grad
        """,
    )


def test_numpy_on_tensor_requiring_grad(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x.numpy()
        """,
        "(x * 2).numpy()",
        "x.detach().numpy()",
        "(x * 2).detach().numpy()",
        "torch.tensor([1.0, 2.0], dtype=torch.float64).numpy()",
    )


RETAIN_ERRORS = {
    "mul-tensor-tensor": "x * w",
    "mul-self": "x * x",
    "exp": "torch.exp(x)",
    "pow": "x ** 2",
    "pow-method": "x.pow(3)",
}


@pytest.mark.parametrize("expr", list(RETAIN_ERRORS.values()), ids=list(RETAIN_ERRORS))
def test_backward_twice_through_saved_tensors_fails(differential, expr):
    differential(
        f"""
        x = torch.tensor([0.5, 1.5], dtype=torch.float64, requires_grad=True)
        w = torch.tensor([2.0, -1.0], dtype=torch.float64, requires_grad=True)
        y = ({expr}).sum()
        y.backward()
        print(x.grad)
        """,
        "y.backward()",
        # the failed second backward did not touch the gradient
        "print(x.grad)",
    )


RETAIN_OK = {
    "add": "(x + w).sum()",
    "add-scalar": "(x + 1).sum()",
    "sub": "(x - w - 2).sum()",
    "neg": "(-x).sum()",
    "add-sub-neg": "(-(x + w) - (1 - x)).sum()",
    "sum-only": "x.sum()",
}


@pytest.mark.parametrize("expr", list(RETAIN_OK.values()), ids=list(RETAIN_OK))
def test_backward_twice_through_add_sub_neg_is_allowed(differential, expr):
    differential(
        f"""
        x = torch.tensor([0.5, 1.5], dtype=torch.float64, requires_grad=True)
        w = torch.tensor([2.0, -1.0], dtype=torch.float64, requires_grad=True)
        y = {expr}
        y.backward()
        print(x.grad, w.grad)
        """,
        """
        y.backward()
        print(x.grad, w.grad)
        """,
    )


def test_retain_graph_then_plain_backward_then_error(differential):
    differential(
        """
        x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
        y = torch.sin(x) * x
        for i in range(3):
            y.backward(retain_graph=True)
            print(x.grad)
        """,
        "y.backward()\nx.grad",
        "y.backward()",
        "x.grad",
    )


def test_backward_of_tensor_not_requiring_grad(differential):
    differential(
        "torch.tensor(2.0).backward()",
        "(torch.tensor([1.0, 2.0]) * 2).sum().backward()",
        """
        x = torch.tensor(2.0, requires_grad=True)
        with torch.no_grad():
            y = x * 3
        print(y.requires_grad, y.grad_fn)
        y.backward()
        """,
        "x.detach().backward()",
        "print(x.grad)",
    )


def test_backward_with_gradient_of_wrong_shape(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y.backward(torch.ones(2))
        """,
        "y.backward(torch.ones(3, 1))",
        "y.sum().backward(torch.tensor([1.0]))",
        """
        m = torch.ones(2, 2, requires_grad=True)
        (m * 2).backward(torch.ones(4))
        """,
        # the graph survives the failed calls
        "y.backward(torch.tensor([1.0, 0.5, 0.25]))\nx.grad",
    )


def test_requires_grad_on_integer_tensors(differential):
    differential(
        "torch.tensor([1, 2], requires_grad=True)",
        "torch.arange(3, requires_grad=True)",
        "torch.tensor(True, requires_grad=True)",
        # floating point is fine
        "torch.arange(3.0, requires_grad=True)",
        "torch.arange(3, dtype=torch.float32, requires_grad=True)",
        "torch.tensor([1, 2], dtype=torch.float64, requires_grad=True)",
    )


def test_requires_grad_on_integer_tensor_via_method_and_setter(differential):
    differential(
        """
        a = torch.tensor([1, 2])
        b = a * 2
        b.requires_grad_()
        """,
        "a.requires_grad_()",
        "a.requires_grad = True",
        "print(a.requires_grad, b.requires_grad, b.dtype)",
    )


def test_requires_grad_flag_of_non_leaf(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.requires_grad_(False)
        """,
        "y.requires_grad = False",
        # asking for what it already has is fine
        "y.requires_grad_(True) is y, y.requires_grad, y.is_leaf",
    )


def test_grad_of_non_leaf_warns(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        z = y.sum()
        z.backward()
        print(y.grad)
        """,
        "z.grad",
        # leaves do not warn, whether or not they require grad
        "x.grad",
        "print(torch.tensor([1.0]).grad)",
        # retain_grad() silences it and populates .grad
        """
        y2 = x * 3
        y2.retain_grad()
        y2.sum().backward()
        y2.grad
        """,
    )


def test_autograd_grad_unused_input(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        u = torch.tensor(3.0, requires_grad=True)
        y = (x * x).sum()
        torch.autograd.grad(y, [x, u])
        """,
        """
        y = (x * x).sum()
        torch.autograd.grad(y, [x, u], allow_unused=True)
        """,
        """
        y = (x * x).sum()
        torch.autograd.grad(y, [u, x], allow_unused=True)
        """,
        # autograd.grad does not accumulate into .grad
        "print(x.grad, u.grad)",
        "torch.autograd.grad((x * 2).sum(), torch.tensor(1.0))",
    )


def test_autograd_grad_non_scalar_output(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * x
        torch.autograd.grad(y, x)
        """,
        "torch.autograd.grad(y, x, grad_outputs=torch.ones(2), retain_graph=True)",
        "torch.autograd.grad(y, x, torch.tensor([1.0, 0.0]))",
        # retain_graph was not given: the graph is freed now
        "torch.autograd.grad(y, x, torch.tensor([1.0, 0.0]))",
        "from torch.autograd import grad\ngrad(outputs=(x * 3).sum(), inputs=x)",
    )


# ---------------------------------------------------------------------------
# behaviours


def test_grad_accumulates_across_backward_calls(differential):
    differential(
        """
        x = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
        for k in range(3):
            (x * x * (k + 1)).sum().backward()
            print(x.grad)
        """,
        """
        w = torch.ones(3, requires_grad=True)
        for epoch in range(3):
            (w * 3).sum().backward()
        w.grad
        """,
    )


def test_grad_accumulates_into_the_existing_grad_tensor(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        (x * x).sum().backward()
        g = x.grad
        (x * 3).sum().backward()
        print(g, x.grad, g is x.grad)
        """
    )


def test_grad_reset_with_none_and_zero_(differential):
    differential(
        """
        x = torch.tensor([1.0, -2.0], requires_grad=True)
        (x * x).sum().backward()
        x.grad = None
        print(x.grad)
        (x * 3).sum().backward()
        print(x.grad)
        """,
        """
        r = x.grad.zero_()
        print(r, x.grad)
        (x * 3).sum().backward()
        x.grad
        """,
    )


def test_retain_graph_repeated_backward_accumulates(differential):
    differential(
        """
        x = torch.tensor(2.0, requires_grad=True)
        y = torch.cos(x) + torch.sin(x)
        for i in range(4):
            y.backward(retain_graph=True)
        numeric(x.grad)
        print(x.grad)
        """,
        """
        v = torch.tensor([1.0, -1.0], dtype=torch.float64, requires_grad=True)
        s = (v ** 3).sum()
        s.backward(retain_graph=True)
        s.backward(retain_graph=True)
        s.backward()
        v.grad
        """,
    )


def test_retain_grad_on_non_leaves(differential):
    differential(
        """
        x = torch.tensor([0.5, 1.0], dtype=torch.float64, requires_grad=True)
        y = x * 3
        y.retain_grad()
        z = y.exp()
        z.retain_grad()
        w = z.sum()
        w.retain_grad()
        w.backward()
        print(w.grad)
        print(z.grad)
        print(y.grad)
        print(x.grad)
        print(y.is_leaf, y.requires_grad, y.retains_grad, x.retains_grad)
        """,
        # a second backward accumulates into retained grads too
        """
        y2 = x * 2
        y2.retain_grad()
        y2.sum().backward(retain_graph=True)
        y2.sum().backward()
        y2.grad
        """,
    )


def test_detach(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        d = x.detach()
        print(d, d.requires_grad, d.is_leaf, d.grad_fn)
        y = (x * d).sum()
        y.backward()
        print(x.grad)
        """,
        """
        h = (x * x).detach()
        print(h, h.requires_grad, h.is_leaf)
        """,
    )


def test_detach_shares_data(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        d = x.detach()
        d[0] = 10.0
        x
        """
    )


def test_no_grad_context_manager(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        print(torch.is_grad_enabled())
        with torch.no_grad():
            print(torch.is_grad_enabled())
            y = x * 2
            print(y, y.requires_grad, y.grad_fn, y.is_leaf)
        print(torch.is_grad_enabled())
        z = x * 2
        print(z, z.requires_grad)
        """,
        # grad mode is restored when the block raises
        """
        try:
            with torch.no_grad():
                raise ValueError("boom")
        except ValueError as e:
            print("caught", e)
        print(torch.is_grad_enabled(), (x * 2).requires_grad)
        """,
    )


def test_no_grad_decorator(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)

        @torch.no_grad()
        def step(t):
            print(torch.is_grad_enabled())
            return t * 2

        out = step(x)
        print(out, out.requires_grad, torch.is_grad_enabled())
        """,
        # a manual parameter update, as in a training loop
        """
        @torch.no_grad()
        def sgd(p, lr):
            p -= lr * p.grad
            p.grad.zero_()

        (x * x).sum().backward()
        sgd(x, 0.25)
        print(x, x.grad)
        """,
    )


def test_no_grad_bare_decorator(differential):
    differential(
        """
        @torch.no_grad
        def f(t):
            return t * 2

        f(torch.tensor([1.0, 2.0], requires_grad=True))
        """
    )


def test_requires_grad_(differential):
    differential(
        """
        a = torch.tensor([1.0, 2.0])
        print(a.requires_grad)
        b = a.requires_grad_()
        print(b is a, a.requires_grad, a)
        """,
        """
        a.requires_grad_(False)
        print(a.requires_grad, a)
        a.requires_grad = True
        print(a)
        (a * a).sum().backward()
        a.grad
        """,
    )


def test_is_leaf(differential):
    differential(
        """
        x = torch.tensor([1.0], requires_grad=True)
        c = torch.tensor([1.0])
        print(x.is_leaf, c.is_leaf, (x * 2).is_leaf, (c * 2).is_leaf, x.detach().is_leaf)
        with torch.no_grad():
            print((x * 2).is_leaf)
        print(x[0].is_leaf, (x + c).is_leaf, torch.ones(2, requires_grad=True).is_leaf)
        print(x[0], x + c)
        """
    )


GRAD_FN_CASES = {
    "AddBackward0": "x + w",
    "AddBackward0-scalar": "x + 1",
    "SubBackward0": "x - w",
    "RsubBackward1": "1 - x",
    "MulBackward0": "x * w",
    "DivBackward0": "x / w",
    "PowBackward0": "x ** 2",
    "PowBackward0-function": "torch.pow(x, 2)",
    "PowBackward1": "x ** w",
    "NegBackward0": "-x",
    "ExpBackward0": "torch.exp(x)",
    "ExpBackward0-method": "x.exp()",
    "LogBackward0": "torch.log(x)",
    "SinBackward0": "torch.sin(x)",
    "CosBackward0": "torch.cos(x)",
    "SumBackward0": "x.sum()",
    "SumBackward0-function": "torch.sum(x)",
    "MeanBackward0": "x.mean()",
    "MeanBackward0-function": "torch.mean(x)",
    "SelectBackward0": "x[1]",
    "SelectBackward0-negative": "x[-1]",
    "SliceBackward0": "x[1:]",
    "StackBackward0": "torch.stack([x, w])",
    "CumsumBackward0": "torch.cumsum(x, dim=0)",
    "LinalgVectorNormBackward0": "x.norm()",
}


@pytest.mark.parametrize("expr", list(GRAD_FN_CASES.values()), ids=list(GRAD_FN_CASES))
def test_grad_fn_names(differential, expr):
    differential(
        """
        x = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64, requires_grad=True)
        w = torch.tensor([2.0, 0.5, 3.0], dtype=torch.float64, requires_grad=True)
        print(x.grad_fn, w.grad_fn)
        """,
        f"""
        y = {expr}
        print(y.grad_fn.name())
        print(y.grad_fn)
        print(y)
        """,
    )


def test_grad_fn_copy_slices(differential):
    differential(
        """
        x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
        a = torch.zeros(3)
        a[0] = x[0] * 2
        print(a.grad_fn.name())
        print(a.grad_fn)
        print(a, a.is_leaf)
        a.sum().backward()
        x.grad
        """
    )


def test_grad_fn_none_without_grad(differential):
    differential(
        """
        c = torch.tensor([1.0, 2.0])
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        print(c.grad_fn, x.grad_fn, (c * 2).grad_fn, (c * 2).sum().grad_fn, x.detach().grad_fn)
        print(c * 2, (c * 2).sum(), x.detach())
        """
    )


def test_grad_dtype_follows_input_dtype(differential):
    differential(
        """
        x32 = torch.tensor([1.0, 2.0], requires_grad=True)
        x64 = torch.tensor([0.5, 0.25], dtype=torch.float64, requires_grad=True)
        y = (x32 * x64).sum()
        print(y.dtype)
        y.backward()
        print(x32.grad, x32.grad.dtype)
        print(x64.grad, x64.grad.dtype)
        """,
        # integer and float64 gradient arguments for a float32 output
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        (x * 3).backward(torch.tensor([1, 2]))
        print(x.grad, x.grad.dtype)
        x.grad = None
        (x * 3).backward(torch.tensor([0.5, 0.25], dtype=torch.float64))
        print(x.grad, x.grad.dtype)
        """,
        """
        d = torch.tensor(4.3, requires_grad=True, dtype=torch.double)
        (d ** 2).backward()
        d.grad, d.grad.dtype
        """,
    )


def test_float32_gradients_numerically(differential):
    differential(
        """
        x = torch.tensor([0.3, 1.7, -0.4], requires_grad=True)
        y = (torch.sin(x) * torch.exp(x) / (x * x + 1)).sum()
        y.backward()
        numeric(y)
        numeric(x.grad)
        numeric(x.grad.tolist())
        """,
        """
        v = torch.tensor([1.2, 2.4, 3.3], requires_grad=True)
        f = (torch.log(v) * torch.cos(v)).mean()
        g = torch.autograd.grad(f, v)
        numeric(f.item())
        numeric(g)
        """,
    )


def test_scalar_conversions(differential):
    differential(
        """
        t = torch.tensor([1.5, -2.25, 3.0])
        print(t.tolist(), t[0].item(), float(t[1]), int(t[2]), bool(t[0]), bool(torch.tensor(0.0)))
        print(type(t[0].item()).__name__, type(torch.tensor(3).item()).__name__, type(torch.tensor(True).item()).__name__)
        print(torch.tensor([[1, 2], [3, 4]]).tolist(), torch.tensor(2.5, dtype=torch.float64).item())
        print(torch.tensor(0.1).item(), torch.tensor(0.1, dtype=torch.float64).item())
        """,
        # f-strings of 0-d tensors format the Python scalar
        """
        print(f"{t[0]}", f"{t[1]:.3f}", f"{torch.tensor(0.1)}", f"{t}")
        """,
        # item()/tolist() of tensors that require grad
        """
        x = torch.tensor([0.5, 4.0], requires_grad=True)
        print(x[1].item(), x.tolist(), (x * 2).sum().item(), (x * 2).tolist())
        """,
        "t.item()",
        "float(t)",
        "int(t)",
        "bool(t > 0)",
    )


def test_comparisons_return_bool_tensors_usable_in_if(differential):
    differential(
        """
        x = torch.tensor(2.5, requires_grad=True)
        c = x > 0
        print(c, c.dtype, c.requires_grad, c.grad_fn)
        if x > 0:
            print("positive")
        if x <= 0.0:
            print("non-positive")
        else:
            print("not non-positive")
        print(x == 2.5, x != 2.5, x < 3, x >= 3, bool(x > 1))
        """,
        """
        v = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
        print(v > 0, v == 3.0, v.eq(v.detach()), (v > 0).all(), (v > 0).any())
        print(v >= torch.tensor([1.0, 0.0, 4.0]))
        if (v > -5).all():
            print("all above -5")
        if not (v > 0).all():
            print("not all positive")
        """,
        """
        y = v * 2
        n = 0
        while y.data.norm() < 100:
            y = y * 2
            n += 1
        print(n, y)
        """,
    )


@pytest.mark.parametrize("reset", ["none", "zero_", "accumulate"])
def test_jacobian_rows_via_one_hot_backward(differential, reset):
    step = {"none": "x.grad = None", "zero_": "x.grad.zero_() if x.grad is not None else None", "accumulate": "pass"}[reset]
    differential(
        f"""
        x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
        y = torch.stack([x[0] * x[1], torch.sin(x[2]) + x[0], x[1] ** 2 * x[2]])
        keys = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], dtype=torch.float64)
        rows = []
        for key in keys:
            {step}
            y.backward(key, retain_graph=True)
            rows.append(x.grad.clone())
        print(rows)
        numeric(rows)
        """
    )


def test_jacobian_rows_float32_like_the_notebook(differential):
    differential(
        """
        x = torch.tensor([1.0, 2.0, -2.0], requires_grad=True)
        y1 = x ** 2
        final_jacobian = []
        for key in torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]):
            x.grad = None
            y1.backward(key, retain_graph=True)
            final_jacobian.append(x.grad)
        print(final_jacobian)
        print(torch.stack(final_jacobian))
        """
    )
