"""no_grad / enable_grad / set_grad_enabled: per-thread recording switches,
usable as context managers and as decorators, like PyTorch's."""
import functools
import inspect
import sys

import numpy as np

from .tape import ANOMALY, INFERENCE_ACTIVE, STATE  # noqa: F401  (ANOMALY: detect_anomaly's switch)

# jitgrad.compile sets this while a function records: a no_grad block computes
# values off the tape, which a replay can't recompute (called with a reason).
no_grad_hook = None
# jitgrad.compile, while it records: user code turning grad mode on or reading it
# (what it reads and makes depends on the caller's mode, which the recording forces on)
grad_mode_hook = None


def _decorate(fn, make_ctx):
    """fn run under make_ctx(); a generator function has each of its steps
    run under it (and the caller's code between steps outside), as torch's."""
    if not inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with make_ctx():
                return fn(*args, **kwargs)
        return wrapper

    @functools.wraps(fn)
    def generator(*args, **kwargs):
        gen = fn(*args, **kwargs)
        try:
            with make_ctx():
                response = gen.send(None)
            while True:
                try:
                    request = yield response
                except GeneratorExit:
                    with make_ctx():
                        gen.close()
                    raise
                except BaseException:
                    with make_ctx():
                        response = gen.throw(*sys.exc_info())
                else:
                    with make_ctx():
                        response = gen.send(request)
        except StopIteration as e:
            return e.value
    return generator


class _GradMode:
    enabled: bool = True      # the grad mode inside the block (subclasses set it)

    def __call__(self, fn):
        return _decorate(fn, self.__class__)

    def __enter__(self):
        if not self.enabled and no_grad_hook is not None:
            no_grad_hook("a no_grad block")
        elif self.enabled and grad_mode_hook is not None:
            grad_mode_hook()
        self._prev = STATE.grad_enabled, STATE.grad_shown
        _set_mode(self.enabled)

    def __exit__(self, *exc):
        STATE.grad_enabled, STATE.grad_shown = self._prev
        return False


def _set_mode(enabled: bool) -> None:
    """Grad mode on or off. Inside inference_mode() nothing records even with
    grad mode on (torch's enable_grad there: is_grad_enabled() is True, the
    results are inference tensors that require no grad)."""
    if STATE.inference:
        STATE.grad_enabled, STATE.grad_shown = False, enabled
    else:
        STATE.grad_enabled, STATE.grad_shown = enabled, False


class _BareDecoratable(_GradMode):
    """Usable as `with no_grad():`, `@no_grad()` and bare `@no_grad`."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        if not callable(orig_func):
            raise TypeError(f"{cls.__name__}() takes no arguments")
        return cls()(orig_func)


class no_grad(_BareDecoratable):
    __module__ = "jitgrad.autograd.grad_mode"    # where torch prints them from
    enabled = False


class enable_grad(_BareDecoratable):
    __module__ = "jitgrad.autograd.grad_mode"    # where torch prints them from
    enabled = True


class inference_mode(_GradMode):
    __module__ = "jitgrad.autograd.grad_mode"    # where torch prints them from

    def __new__(cls, mode=True):
        if mode is None or isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)      # bare @inference_mode, as torch

    def __init__(self, mode=True):
        self.enabled = not mode
        self.mode = bool(mode)

    def __enter__(self):
        self._prev_inference = STATE.inference
        STATE.inference = self.mode
        INFERENCE_ACTIVE[0] += 1
        super().__enter__()

    def __exit__(self, *exc):
        STATE.inference = self._prev_inference
        INFERENCE_ACTIVE[0] -= 1
        return super().__exit__(*exc)

    def __call__(self, fn):
        mode = not self.enabled
        return _decorate(fn, lambda: inference_mode(mode))


class set_grad_enabled(_GradMode):
    __module__ = "jitgrad.autograd.grad_mode"    # where torch prints them from
    def __init__(self, mode):
        self._prev = STATE.grad_enabled, STATE.grad_shown
        self.enabled = bool(mode)
        if not self.enabled and no_grad_hook is not None:
            no_grad_hook("set_grad_enabled(False)")
        elif self.enabled and grad_mode_hook is not None:
            grad_mode_hook()
        _set_mode(self.enabled)   # also works as a plain function call

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        STATE.grad_enabled, STATE.grad_shown = self._prev
        return False

    def __repr__(self) -> str:
        return f"{type(self).__module__}.{type(self).__name__}(mode={self.enabled})"

    def __call__(self, fn):
        STATE.grad_enabled, STATE.grad_shown = self._prev
        mode = self.enabled
        return _decorate(fn, lambda: set_grad_enabled(mode))


def is_grad_enabled():
    if grad_mode_hook is not None:
        grad_mode_hook()
    return STATE.grad_enabled or STATE.grad_shown


def is_inference_mode_enabled():
    return STATE.inference




def check_anomaly(name, *grads):
    """detect_anomaly: torch's error for the first operand gradient with a nan."""
    if ANOMALY.enabled:
        for i, g in enumerate(grads):
            if g is not None and np.isnan(g).any():
                raise RuntimeError(f"Function '{name}' returned nan values in its {i}th output.")
