"""A program's transcript must not depend on which earlier test tripped a warn-once warning.

torch's "Converting a tensor with requires_grad=True to a scalar" warning is
TORCH_WARN_ONCE: once any test in the process has triggered it in torch, a
later program would show it under jitgrad but not under torch.  The harness
runs cells with ``set_warn_always(True)`` on both sides, which jitgrad honours.
"""
import pytest

CELLS = ['''
x = torch.tensor(1.0, requires_grad=True)
try:
    torch.tensor([torch.tensor(1.0, requires_grad=True), torch.tensor(2.0)])
except Exception as e:
    print(type(e).__name__, e)
print(float(x), float(x) + 1)
print(torch.is_warn_always_enabled())
''']


def test_torch_trips_the_warning_first():
    torch = pytest.importorskip("torch")
    float(torch.tensor(1.0, requires_grad=True))


def test_program_after_it_matches_torch(differential):
    differential(*CELLS)


def test_warn_always_switch_is_restored_and_honoured(mut, recwarn):
    assert mut.is_warn_always_enabled() is False
    x = mut.tensor(1.0, requires_grad=True)
    mut.set_warn_always(True)
    try:
        float(x)
        float(x)
    finally:
        mut.set_warn_always(False)
    assert sum("Converting a tensor" in str(w.message) for w in recwarn) == 2


# torch's TORCH_WARN_ONCE warnings, each triggered twice: under warn-always
# torch shows both, and so must jitgrad (each honours the switch).
WARN_ONCE_PROGRAMS = {
    "scalar_of_requires_grad": "x = torch.tensor(1.5, requires_grad=True)\nprint(float(x), int(x))",
    "index_reduce_beta": "z = torch.zeros(3)\nfor _ in range(2):\n"
                         "    z.index_reduce_(0, torch.tensor([0, 1]), torch.ones(2), 'mean')\nprint(z)",
    "qr": "A = torch.eye(3) + 0.1\nprint(torch.qr(A)[1], torch.qr(A)[1])",
    "cholesky": "A = torch.eye(3) + 0.1\nprint(torch.cholesky(A), torch.cholesky(A))",
    "lu": "A = torch.eye(3) + 0.1\nprint(torch.lu(A)[1], torch.lu(A)[1])",
    "lu_solve": "A = torch.eye(3) + 0.1\nLU, piv = torch.linalg.lu_factor(A)\n"
                "print(torch.lu_solve(torch.ones(3, 1), LU, piv), torch.lu_solve(torch.ones(3, 1), LU, piv))",
    "triangular_solve": "A = torch.eye(3) + 0.1\nfor _ in range(2):\n"
                        "    print(torch.triangular_solve(torch.ones(3, 1), A).solution)",
    "nuclear_frobenius": "A = torch.eye(3) + 0.1\nfor _ in range(2):\n"
                         "    print(torch.nuclear_norm(A), torch.frobenius_norm(A, (0, 1)))",
    "create_graph_cycle": "x = torch.ones(2, requires_grad=True)\nfor _ in range(2):\n"
                          "    (x * x).sum().backward(create_graph=True)\nprint(x.grad)",
    "default_tensor_type": "torch.set_default_tensor_type(torch.DoubleTensor)\n"
                           "torch.set_default_tensor_type(torch.FloatTensor)\nprint(torch.ones(1).dtype)",
    "transpose_of_1d": "v = torch.arange(3.)\nprint(v.T, v.T)",
    "transpose_of_0d": "s = torch.tensor(2.)\nprint(s.T, s.mT)",
    "transpose_in_function": "def f(v):\n    return v.T * 2\nprint(f(torch.ones(2, 3, 4)).shape)",
}


@pytest.mark.parametrize("name", sorted(WARN_ONCE_PROGRAMS))
def test_warn_once_warnings_follow_warn_always(name, differential):
    differential(WARN_ONCE_PROGRAMS[name])
