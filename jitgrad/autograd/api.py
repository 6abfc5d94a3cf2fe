"""backward() and grad() with PyTorch's signatures, Jacobian rows by K-seed
sweeps, anomaly mode (re-exported by jitgrad.autograd)."""
import warnings
from collections.abc import Mapping

import numpy as np

from ..autodiff import engine
from ..core import saved_nodes as SN
from ..core import upper
from ..autodiff import grad_accumulation as GA
from . import symbolic
from .symbolic_stops import shaped_like
from ..functional import functions as F
from ..core.grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled  # noqa: F401
from ..tensors.tensor import Size, Tensor, name_node
from ..core.warn import warn_once
from .graph import GradientEdge


def _as_list(x):
    if isinstance(x, Tensor):
        return [x]
    if x is None:
        return None
    return list(x)


def _edge_tensors(inputs):
    """Inputs with each GradientEdge (get_gradient_edge) replaced by the tensor it was taken from."""
    if isinstance(inputs, GradientEdge):
        inputs = [inputs]
    return [t._tensor if isinstance(t, GradientEdge) else t for t in inputs]


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


_CYCLE_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter and its "
    "gradient which can cause a memory leak. We recommend using autograd.grad when creating the graph to avoid "
    "this. If you have to use this function, make sure to reset the .grad fields of your parameters to None "
    "after use to break the cycle and avoid the leak. (Triggered internally at "
    "/__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp:1307.)")


def _warn_create_graph_cycle():
    """torch's warning, once per process (TORCH_WARN_ONCE)."""
    warn_once(_CYCLE_WARNING, stacklevel=2)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None,
             grad_variables=None):
    if grad_variables is not None:      # (torch's deprecated name of grad_tensors)
        warnings.warn("`grad_variables` is deprecated. Use `grad_tensors` instead.", FutureWarning, stacklevel=2)
        if grad_tensors is not None:
            raise RuntimeError("`grad_tensors` and `grad_variables` (deprecated) arguments both passed to "
                               "`backward()`. Please only use `grad_tensors`.")
        grad_tensors = grad_variables
    if getattr(upper.VMAP, "transforms", 0):
        raise RuntimeError("backward() called inside a functorch transform. This is not supported, please use "
                           "functorch.grad or functorch.vjp instead or call backward() outside of functorch "
                           "transforms.")
    if inputs is not None and not _as_list(inputs):
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    outputs = _as_list(tensors)
    if not outputs:         # torch's engine runs from no roots: nothing to do (no length check either)
        return
    grads = _as_list(grad_tensors) or [None] * len(outputs)
    grads = _check_lengths(outputs, grads)
    _check_outputs(outputs)
    seeds = [_seed(o, g, i) for i, (o, g) in enumerate(zip(outputs, grads))]
    keep = bool(retain_graph) if retain_graph is not None else bool(create_graph)
    if inputs is not None:
        inputs = _as_list(inputs)
        for t in inputs:
            if isinstance(t, Tensor):
                # torch's engine retains each input's grad (a non-leaf's .grad is
                # filled by that, and by later backwards too; one not requiring grad raises)
                t.retain_grad()
    if create_graph:
        with enable_grad():      # torch records the backward even inside no_grad
            if inputs is not None:
                _warn_create_graph_cycle()      # (torch's engine warns with inputs= too)
                found = symbolic.run(outputs, _seed_tensors(outputs, grads), inputs, keep)
                for t, g in zip(inputs, found):
                    if g is not None and t._name is None:
                        g = shaped_like(g, t)
                        with engine.GRAD_LOCK:
                            engine.GA.journal(t)
                            t._grad = g if t._grad is None else t._grad + g
                return
            _warn_create_graph_cycle()
            symbolic.run(outputs, _seed_tensors(outputs, grads), None, keep)
        return
    if inputs is not None:
        found = engine.run(outputs, seeds, keep, inputs=inputs)
        for t, g in zip(inputs, found):
            if g is not None and t._name is None:      # (a non-leaf's: delivered as a retained grad)
                with engine.GRAD_LOCK:
                    GA.accumulate(t, g[:, 0])
        if not keep:
            SN.free_producers([t for t, g in zip(inputs, found) if g is not None])
        return
    engine.run(outputs, seeds, keep)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, "
                         "but got: allow_unused=False.")
    keys = None
    if type(inputs) is dict:       # torch >= 2.10: a dict in, a dict out
        keys, inputs = list(inputs.keys()), list(inputs.values())
    elif isinstance(inputs, Mapping):
        raise TypeError(f"`inputs` argument to `grad()` must be a dict, not {type(inputs).__name__}. "
                        "Other Mapping types are not supported.")
    outputs = _as_list(outputs)
    inputs = _as_list(_edge_tensors(inputs) if inputs is not None and not isinstance(inputs, Tensor) else inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    for t in inputs:
        if not isinstance(t, Tensor):
            raise RuntimeError(f"all inputs have to be Tensors or GradientEdges, but got {type(t).__name__}")
    if not only_inputs:
        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate "
                      "gradient for other parts of the graph, please use torch.autograd.backward.",
                      FutureWarning, stacklevel=2)
    grads = _as_list(grad_outputs) or [None] * len(outputs)
    grads = _check_lengths(outputs, grads)
    if allow_unused is None:
        allow_unused = materialize_grads
    _check_outputs(outputs)
    for i, t in enumerate(inputs):
        if not t._rg:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    keep = bool(retain_graph) if retain_graph is not None else bool(create_graph)
    if not outputs:
        found = [None] * len(inputs)
    elif is_grads_batched:
        found = _batched_grad(outputs, grads, inputs, keep, create_graph)
    elif create_graph:
        with enable_grad():      # torch records the backward even inside no_grad
            found = symbolic.run(outputs, _seed_tensors(outputs, grads), inputs, keep)
            found = [None if g is None else shaped_like(g, t) for t, g in zip(inputs, found)]
    else:
        seeds = [_seed(o, g, i) for i, (o, g) in enumerate(zip(outputs, grads))]
        found = engine.run(outputs, seeds, keep, inputs=inputs)
        found = [None if g is None else _wrap_column(g, t) for t, g in zip(inputs, found)]
    result = []
    for i, (t, g) in enumerate(zip(inputs, found)):
        if g is None:
            if materialize_grads:
                result.append(Tensor._wrap(np.zeros(t.shape, t.dtype.np), t.dtype).requires_grad_(create_graph))
                continue
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in the graph. "
                    "Set allow_unused=True if this is the desired behavior.")
            result.append(None)
        else:
            result.append(g)
    if keys is not None:
        return dict(zip(keys, result))
    return tuple(result)


def _check_lengths(outputs, grads):
    """torch pairs outputs with gradients by zip: extra gradients are ignored."""
    if len(grads) < len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    return grads[:len(outputs)]


def _wrap_column(g, t):
    """The one adjoint column (n x 1) as a tensor of t's shape (no view of
    a (1, *t.shape) tensor: its bookkeeping cost more than the copy)."""
    return Tensor._wrap(g[:, 0].reshape(t.shape).astype(t.dtype.np), t.dtype)


def _wrap_columns(g, t):
    """Adjoint columns (n x K) as a tensor of shape (K, *t.shape)."""
    return Tensor._wrap(g.T.reshape((g.shape[1],) + tuple(t.shape)).astype(t.dtype.np), t.dtype)


# Adjoint memory per batched sweep: slots x seeds x 8 bytes stays under this.
_BATCH_BYTES = 1 << 22


def sweep_columns(outputs, seeds, inputs, retain_graph=True):
    """Sweep many seeds at once: seeds[i] is (n_i x K) for outputs[i].

    Returns, per input, an (n x K) float64 array (None if unreached). The K
    columns go through the Numba sweep in chunks that bound the memory.
    """
    k = seeds[0].shape[1]
    slots = max(len(o._tape.vals) if o._tape is not None else 1 for o in outputs)
    step = max(1, min(k, _BATCH_BYTES // (8 * max(slots, 1))))
    parts = []
    for lo in range(0, k, step):
        chunk = [np.ascontiguousarray(s[:, lo:lo + step]) for s in seeds]
        parts.append(engine.run(outputs, chunk, True if lo + step < k else retain_graph, inputs=inputs))
    out = []
    for i, t in enumerate(inputs):
        cols = [p[i] for p in parts]
        if all(c is None for c in cols):
            out.append(None)
            continue
        cols = [np.zeros((t.numel(), min(step, k - j * step))) if c is None else c
                for j, c in enumerate(cols)]
        out.append(np.concatenate(cols, axis=1))
    return out


def _batched_grad(outputs, grads, inputs, keep, create_graph):
    """grad(..., is_grads_batched=True): grad_outputs carry a leading batch dim."""
    batch = None
    seeds = []
    for i, (o, g) in enumerate(zip(outputs, grads)):
        if g is None:
            raise RuntimeError("is_grads_batched=True requires grad_outputs")
        g = g if isinstance(g, Tensor) else Tensor._wrap(np.asarray(g))
        if g.ndim == 0:     # (torch indexes the batch dim of each grad_output)
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` "
                             "in C++ to convert a 0-dim tensor to a number")
        if tuple(g.shape[1:]) != tuple(o.shape):
            raise RuntimeError(
                f"If `is_grads_batched=True`, we interpret the first dimension of each grad_output as "
                f"the batch dimension. The sizes of the remaining dimensions are expected to match the "
                f"shape of corresponding output, but a mismatch was detected: grad_output[{i}] has a "
                # torch strips the batch dim twice when it reports the grad's shape
                f"shape of {Size(g.shape[2:])!r} and output[{i}] has a shape of {o.shape!r}. If you only "
                f"want some tensors in `grad_output` to be considered batched, consider using vmap."
                .replace("jitgrad.Size", "torch.Size"))
        batch = g.shape[0]
        if create_graph:
            seeds.append(g)
        else:
            seeds.append(np.asarray(g._data(), np.float64).reshape(batch, -1).T)
    if create_graph:
        rows = [grad(outputs, inputs, [s[b] for s in seeds], retain_graph=True, create_graph=True,
                     allow_unused=True) for b in range(batch)]
        return [None if rows[0][j] is None else F.stack([r[j] for r in rows])
                for j in range(len(inputs))]
    found = sweep_columns(outputs, seeds, inputs, keep)
    return [None if g is None else _wrap_columns(g, t) for t, g in zip(inputs, found)]


def jacobian_rows(output, inputs, rows=None, retain_graph=True):
    """Rows of the Jacobian of `output` (any shape, flattened) with respect to
    `inputs`, from the recorded graph, without re-running the forward.

    rows: flat output indices (default: all). Returns a tensor of shape
    (len(rows), *input.shape) per input (a tuple when `inputs` is a tuple or
    list). All rows are swept together (in memory-bounded chunks).
    """
    single = isinstance(inputs, Tensor)
    ins = _as_list(inputs)
    _check_outputs([output])
    m = output.numel()
    rows = np.arange(m) if rows is None else np.asarray(list(rows), np.int64).ravel()
    if rows.size and (rows.min() < -m or rows.max() >= m):
        raise IndexError(f"row index out of range for an output of {m} elements")
    found = sweep_rows(output, ins, rows % m if m else rows, retain_graph)
    res = tuple(Tensor._wrap(np.zeros((rows.size,) + tuple(t.shape), t.dtype.np), t.dtype) if g is None
                else Tensor._wrap(g.reshape((rows.size,) + tuple(t.shape)), t.dtype) for t, g in zip(ins, found))
    return res[0] if single else res


def sweep_rows(output, inputs, rows, retain_graph=True):
    """Jacobian rows `rows` (flat output indices >= 0) of `output`: one-hot
    seeds built chunk by chunk (no m x K seed matrix), each chunk's result
    written straight into a (len(rows), n_in) array of the input's dtype.
    Returns that array per input, or None if no row reaches it."""
    m, total = output.numel(), len(rows)
    slots = len(output._tape.vals) if output._tape is not None else 1
    step = max(1, min(total, _BATCH_BYTES // (8 * max(slots, 1))))
    res = [None] * len(inputs)
    for lo in range(0, total, step):
        cols = rows[lo:lo + step]
        seed = np.zeros((m, len(cols)))
        seed[cols, np.arange(len(cols))] = 1.0
        found = engine.run([output], [seed], True if lo + step < total else retain_graph, inputs=inputs)
        for i, (t, g) in enumerate(zip(inputs, found)):
            if g is not None:
                if res[i] is None:
                    res[i] = np.zeros((total, t.numel()), t.dtype.np)
                res[i][lo:lo + len(cols)] = g.T
    return res


def _seed_tensors(outputs, grads):
    """Seeds as flat tensors (they may carry a graph themselves)."""
    seeds = []
    for out, g in zip(outputs, grads):
        if g is None:
            # (a one-element output: a 0-d seed, as the walker's one-slot adjoints)
            seeds.append(Tensor._wrap(np.float64(1.0) if out.numel() == 1 else np.ones(1)))
        else:
            g = g if isinstance(g, Tensor) else Tensor._wrap(np.asarray(g))
            flat = g if g.dim() <= 1 else F.reshape(g, (-1,))      # (0-d: one slot's adjoint as it is)
            if flat is not g and flat._rg and flat._tape is not None:
                name_node(flat._tape, flat._slot, "")    # (bookkeeping: a seed's gradient gets no view node)
            seeds.append(flat)
    return seeds


class set_detect_anomaly:
    """Name the backward op that produced a nan (slower: sweeps record by record)."""

    def __init__(self, mode, check_nan=True):
        self.prev = engine.ANOMALY.mode, engine.ANOMALY.check_nan
        engine.ANOMALY.set(mode, check_nan)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        engine.ANOMALY.set(*self.prev)
        return False


class detect_anomaly(set_detect_anomaly):
    def __init__(self, check_nan=True):
        super().__init__(True, check_nan)
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and should only be "
                      "enabled for debugging.", stacklevel=2)


for _cls in (set_detect_anomaly, detect_anomaly):
    _cls.__module__ = __name__.rsplit(".", 1)[0] + ".anomaly_mode"     # (torch's class path, as Out[] prints it)


def is_anomaly_enabled():
    return engine.ANOMALY.mode


def is_anomaly_check_nan_enabled():
    return engine.ANOMALY.check_nan


def _tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    backward(self, gradient, retain_graph, create_graph, inputs)


Tensor.backward = _tensor_backward      # (the tensor layer below cannot import this one)
