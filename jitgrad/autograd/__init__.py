"""jitgrad.autograd: backward() and grad(), PyTorch's signatures."""
import numpy as np

from .. import engine, symbolic
from .. import functions as F
from ..grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled  # noqa: F401
from ..tensor import Tensor


def _as_list(x):
    if isinstance(x, Tensor):
        return [x]
    if x is None:
        return None
    return list(x)


def _seed(out, g, i):
    """The float64 seed for output `out` from user gradient `g` (or None)."""
    if g is None:
        if out.numel() != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        return np.ones((1, 1))
    if not isinstance(g, Tensor):
        g = Tensor._wrap(np.asarray(g))
    if g.shape != out.shape:
        raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape!r} and output[{i}] has a "
                f"shape of {out.shape!r}.".replace("jitgrad.Size", "torch.Size"))
    return np.asarray(g._data(), np.float64).reshape(-1, 1)


def _check_outputs(outputs):
    for i, out in enumerate(outputs):
        if not out._rg:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None,
             grad_variables=None):
    outputs = _as_list(tensors)
    grads = _as_list(grad_tensors) or [None] * len(outputs)
    _check_outputs(outputs)
    seeds = [_seed(o, g, i) for i, (o, g) in enumerate(zip(outputs, grads))]
    keep = bool(retain_graph) if retain_graph is not None else bool(create_graph)
    if create_graph:
        if inputs is not None:
            inputs = _as_list(inputs)
            found = symbolic.run(outputs, _seed_tensors(outputs, grads), inputs)
            for t, g in zip(inputs, found):
                if g is not None:
                    g = symbolic.shaped_like(g, t)
                    t._grad = g if t._grad is None else t._grad + g
            return
        symbolic.run(outputs, _seed_tensors(outputs, grads))
        return
    if inputs is not None:
        inputs = _as_list(inputs)
        found = engine.run(outputs, seeds, keep, inputs=inputs)
        for t, g in zip(inputs, found):
            if g is not None:
                t._accumulate(g[:, 0])
        return
    engine.run(outputs, seeds, keep)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    outputs = _as_list(outputs)
    single = isinstance(inputs, Tensor)
    inputs = _as_list(inputs)
    grads = _as_list(grad_outputs) or [None] * len(outputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    for i, t in enumerate(inputs):
        if not t._rg:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    _check_outputs(outputs)
    seeds = [_seed(o, g, i) for i, (o, g) in enumerate(zip(outputs, grads))]
    keep = bool(retain_graph) if retain_graph is not None else bool(create_graph)
    if create_graph:
        found = symbolic.run(outputs, _seed_tensors(outputs, grads), inputs)
        found = [None if g is None else symbolic.shaped_like(g, t) for t, g in zip(inputs, found)]
    else:
        found = engine.run(outputs, seeds, keep, inputs=inputs)
        found = [None if g is None else Tensor._wrap(g[:, 0].reshape(t.shape).astype(t.dtype.np), t.dtype)
                 for t, g in zip(inputs, found)]
    result = []
    for i, (t, g) in enumerate(zip(inputs, found)):
        if g is None:
            if materialize_grads:
                result.append(Tensor._wrap(np.zeros(t.shape, t.dtype.np)))
                continue
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in the graph. "
                    "Set allow_unused=True if this is the desired behavior.")
            result.append(None)
        else:
            result.append(g)
    return tuple(result)


def _seed_tensors(outputs, grads):
    """Seeds as flat tensors (they may carry a graph themselves)."""
    seeds = []
    for out, g in zip(outputs, grads):
        if g is None:
            seeds.append(Tensor._wrap(np.ones(1)))
        else:
            g = g if isinstance(g, Tensor) else Tensor._wrap(np.asarray(g))
            seeds.append(F.reshape(g, (-1,)))
    return seeds
