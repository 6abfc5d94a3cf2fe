"""The fixtures the user-program test files share (test_user_programs*.py):
torch's once-per-process warnings got over with before any transcript, and
global settings a program that fails midway leaves behind restored. A test
file imports both; `WARM_UP_COMPILE = True` in it also warms torch.compile."""
import warnings

import pytest
import torch

import jitgrad


@pytest.fixture(scope="module", autouse=True)
def _torch_warmed_up(request):
    """torch's first forward-mode call lazily scripts helpers, with
    DeprecationWarnings (torch.jit.script) only that first time in a process;
    set_default_tensor_type and a first torch.compile warn once too."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.func.jacfwd(torch.sin)(torch.ones(2))
        torch.autograd.functional.hessian(lambda v: v.pow(3).sum(), torch.ones(2), vectorize=True,
                                          outer_jacobian_strategy="forward-mode")
        for lib in (torch, jitgrad):
            lib.set_default_tensor_type(lib.FloatTensor)
        if getattr(request.module, "WARM_UP_COMPILE", False):
            torch.compile(lambda v: v.sin() * 2, backend="eager")(torch.ones(2, requires_grad=True)).sum().backward()
    _default_validation()


def _default_validation():
    # (torch.compile's import turns torch.distributions' default argument
    # validation off for the process: a later program's invalid Normal would
    # not raise under torch)
    for lib in (torch, jitgrad):
        lib.distributions.Distribution.set_default_validate_args(__debug__)


@pytest.fixture(autouse=True)
def _restore_global_state():
    yield
    for lib in (torch, jitgrad):
        lib.set_default_dtype(lib.float32)
        lib.set_printoptions(profile="default")
        lib.autograd.set_detect_anomaly(False)
    _default_validation()
