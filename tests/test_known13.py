"""Known fidelity gaps (known13), each against torch: a second backward
through nodes that save no tensor, errors and layouts."""
import numpy as np
import pytest

import jitgrad

torch = pytest.importorskip("torch")


def _outcome(fn):
    """('ok', printed value) or (error type, message)."""
    try:
        return "ok", repr(fn()).replace("jitgrad.", "torch.")
    except Exception as e:      # noqa: BLE001 (the error is the compared outcome)
        return type(e).__name__, str(e)


# ----- a second backward through nodes that save no tensor ---------------------------

SECOND_BACKWARD = {
    "deg2rad": lambda lib, y, c: y.deg2rad(),
    "rad2deg": lambda lib, y, c: lib.rad2deg(y),
    "deg2rad_": lambda lib, y, c: y.clone().deg2rad_(),
    "trapezoid": lambda lib, y, c: lib.trapezoid(y),
    "trapezoid dx": lambda lib, y, c: lib.trapezoid(y, dx=0.5),
    "trapezoid 2-d": lambda lib, y, c: lib.trapezoid(y.reshape(2, 3), dim=0),
    "trapezoid x": lambda lib, y, c: lib.trapezoid(y, c),       # (torch saves x's differences)
    "cumulative_trapezoid": lambda lib, y, c: lib.cumulative_trapezoid(y),
    "cumulative_trapezoid dx": lambda lib, y, c: lib.cumulative_trapezoid(y, dx=2.0),
    "cumulative_trapezoid x": lambda lib, y, c: lib.cumulative_trapezoid(y, c),
    "gradient": lambda lib, y, c: lib.gradient(y)[0],
    "gradient spacing": lambda lib, y, c: lib.gradient(y, spacing=2.0)[0],
    "gradient edge 2": lambda lib, y, c: lib.gradient(y, edge_order=2)[0],
    "gradient 2-d": lambda lib, y, c: lib.gradient(y.reshape(2, 3), spacing=[3.0, 2.0])[1],
    "gradient coordinates": lambda lib, y, c: lib.gradient(y, spacing=(c,))[0],
    "matrix_power 0": lambda lib, y, c: lib.linalg.matrix_power(y[:4].reshape(2, 2), 0),
    "matrix_power 1": lambda lib, y, c: lib.linalg.matrix_power(y[:4].reshape(2, 2), 1),
    # torch saves the wrapped number or tensor of these: a second backward raises
    "times a number": lambda lib, y, c: y * 2,
    "over a number": lambda lib, y, c: y / 3,
    "times a constant tensor": lambda lib, y, c: y * c,
    "a constant tensor over": lambda lib, y, c: c / y,
    "times itself": lambda lib, y, c: y * y,
}


@pytest.mark.parametrize("n", [6, 6000])     # (6000: bulk records)
@pytest.mark.parametrize("name", SECOND_BACKWARD)
def test_second_backward_through_nodes_saving_no_tensor(name, n):
    if n > 6 and ("2-d" in name or "matrix" in name):
        return
    got, grads = [], []
    for lib in (torch, jitgrad):
        y = lib.linspace(0.1, 2.0, n, dtype=lib.float64).requires_grad_()
        c = lib.linspace(0.0, 3.0, n, dtype=lib.float64) ** 2
        out = SECOND_BACKWARD[name](lib, y, c)
        name_ = type(out.grad_fn).__name__ if lib is torch else out.grad_fn.name().split("::")[-1]
        out.sum().backward()
        error = _outcome(lambda: out.sum().backward())
        got.append((name_, error if n == 6 else error[0], repr(y.grad).replace("jitgrad.", "torch.")[:200]))
        grads.append(y.grad.numpy().copy())
    assert got[1][:2] == got[0][:2]
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-12, atol=1e-12)


def test_matrix_power_zero_of_inf_and_nan_is_the_identity():
    for lib in (torch, jitgrad):
        A = lib.tensor([[float("inf"), 1.0], [1.0, float("nan")]], requires_grad=True)
        P = lib.linalg.matrix_power(A.expand(3, 2, 2), 0)
        P.sum().backward()
        if lib is torch:
            want = (repr(P), P.stride(), repr(A.grad))
        else:
            got = (repr(P).replace("jitgrad.", "torch."), P.stride(), repr(A.grad).replace("jitgrad.", "torch."))
    assert got == want
