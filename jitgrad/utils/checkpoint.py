"""jitgrad.utils.checkpoint: trade compute for memory (torch.utils.checkpoint).

`checkpoint(fn, *args, use_reentrant=False)` runs fn once recording its
graph, only to learn which leaves it reads, then lets that graph go: the
result is the output of one custom Function (a host record) whose inputs
are the arguments and those leaves. Its backward runs fn again (with the
random state of the first run) and differentiates the recomputed graph, so
gradients are those of fn itself, for the arguments and for the parameters
fn captures, through `backward()`, `autograd.grad` and create_graph alike.
"""
import warnings

from ..functional import functions as F
from ..core import tape as T
from ..autograd import grad as _grad
from ..autograd.function import Function
from ..core.grad_mode import enable_grad, no_grad
from ..tensors.tensor import Tensor

_REENTRANT_WARNING = (
    "torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. Starting in PyTorch 2.9, "
    "calling checkpoint without use_reentrant will raise an exception. use_reentrant=False is recommended, but if "
    "you need to preserve the current default behavior, you can pass use_reentrant=True. Refer to docs for more "
    "details on the differences between the two variants.")


def checkpoint(function, *args, use_reentrant=None, context_fn=None, determinism_check="default", debug=False,
               preserve_rng_state=True, **kwargs):
    if use_reentrant is None:
        # (torch warns from its dynamo wrapper: the location is library code, not the caller's line)
        warnings.warn(_REENTRANT_WARNING, UserWarning, stacklevel=1)
        use_reentrant = True
    if use_reentrant and kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))
    rng = F.RNG.np.bit_generator.state if preserve_rng_state else None
    if not T.STATE.grad_enabled:
        return function(*args, **kwargs)
    if use_reentrant and not any(isinstance(a, Tensor) and a._rg for a in args):
        # torch's reentrant CheckpointFunction runs fn under no_grad: with no
        # argument requiring grad its output requires none (parameters fn reads don't count)
        warnings.warn("None of the inputs have requires_grad=True. Gradients will be None", UserWarning, stacklevel=1)
        with no_grad():
            return function(*args, **kwargs)
    stand = [a.detach().requires_grad_(a._rg) if isinstance(a, Tensor) else a for a in args]
    out = function(*stand, **kwargs)
    outs = out if isinstance(out, tuple) else (out,)
    live = [o for o in outs if isinstance(o, Tensor) and o._rg]
    if not live:
        return out
    captured, foreign = _captured_leaves(live, stand)
    if foreign:
        # fn reads a non-leaf tensor made outside it: differentiate fn's own
        # graph (correct, without the memory saving).
        return function(*args, **kwargs)
    names = [o._name if isinstance(o, Tensor) else None for o in outs]
    res = _Checkpoint.apply(_Plan(function, kwargs, rng, len(args), outs), *args, *captured)
    res_t = res if isinstance(res, tuple) else (res,)
    if not use_reentrant:
        # torch's non-reentrant checkpoint leaves fn's own last node on the output.
        for r, name in zip(res_t, names):
            if isinstance(r, Tensor) and r._rg and name is not None:
                r._name, r._gfn = name, None
    else:
        for r in res_t:
            if isinstance(r, Tensor) and r._rg:
                r._name, r._gfn = "CheckpointFunctionBackward", None
    return res if isinstance(out, tuple) else res_t[0]


class _Plan:
    """What the backward needs to run fn again."""

    def __init__(self, function, kwargs, rng, nargs, outs):
        self.function, self.kwargs, self.rng, self.nargs = function, kwargs, rng, nargs
        # Values only: the recorded graph of the first run is let go.
        self.first = tuple(o.detach() if isinstance(o, Tensor) else o for o in outs)


class _Checkpoint(Function):
    @staticmethod
    def forward(ctx, plan, *inputs):
        ctx.plan = plan
        ctx.inputs = inputs
        return plan.first if len(plan.first) > 1 else plan.first[0]

    @staticmethod
    def backward(ctx, *grads):
        plan = ctx.plan
        create = T.STATE.grad_enabled       # create_graph: symbolic.py runs backward with grad on
        args = ctx.inputs[:plan.nargs]
        captured = list(ctx.inputs[plan.nargs:])
        stand = [a.detach().requires_grad_(a._rg) if isinstance(a, Tensor) else a for a in args]
        if create:
            # Keep the recomputation connected to the real arguments.
            stand = [a.view_as(a) if isinstance(a, Tensor) and a._rg else s for a, s in zip(args, stand)]
        state = F.RNG.np.bit_generator.state
        if plan.rng is not None:
            F.RNG.np.bit_generator.state = plan.rng
        try:
            with enable_grad():
                out = plan.function(*stand, **plan.kwargs)
        finally:
            F.RNG.np.bit_generator.state = state
        outs = out if isinstance(out, tuple) else (out,)
        pairs = [(o, g) for o, g in zip(outs, grads) if isinstance(o, Tensor) and o._rg and g is not None]
        wrt = [s for s in stand if isinstance(s, Tensor) and s._rg] + captured
        if not pairs or not wrt:
            return (None,) * (1 + len(ctx.inputs))
        with enable_grad() if create else no_grad():
            gs = list(_grad([o for o, _ in pairs], wrt, [g for _, g in pairs], create_graph=create,
                            allow_unused=True))
        res = [None]
        for s in stand:
            res.append(gs.pop(0) if isinstance(s, Tensor) and s._rg else None)
        return tuple(res + gs)


def _captured_leaves(outs, stand):
    """Leaves requiring grad that fn's graph reads besides its arguments, and
    whether it reads a non-leaf tensor of an older graph."""
    own = {id(s) for s in stand if isinstance(s, Tensor)}
    start = min(o._tape.serial for o in outs if o._tape is not None)
    leaves, seen, foreign = {}, set(), False
    stack = [o._tape for o in outs if o._tape is not None]
    while stack:
        tape = stack.pop()
        if tape in seen:
            continue
        seen.add(tape)
        for leaf, older, _, _, _ in tape.inputs:
            if leaf is not None:
                t = leaf()
                if t is not None and t._rg and id(t) not in own:
                    leaves[id(t)] = t
            elif older is not None:
                if older.serial >= start:
                    stack.append(older)
                else:
                    foreign = True
    return list(leaves.values()), foreign


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    """torch's checkpoint_sequential: the modules (or functions) in `segments`
    chunks, every chunk but the last run under checkpoint."""
    if use_reentrant is None:
        warnings.warn("torch.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should be passed "
                      "explicitly. In version 2.9 we will raise an exception if use_reentrant is not passed. "
                      "use_reentrant=False is recommended, but if you need to preserve the current default "
                      "behavior, you can pass use_reentrant=True. Refer to docs for more details on the "
                      "differences between the two variants.", stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(arg for arg in kwargs))

    def run_function(start, end, functions):
        def forward(input):
            for j in range(start, end + 1):
                input = functions[j](input)
            return input
        return forward

    if type(functions).__name__ == "Sequential" and hasattr(functions, "children"):    # (nn.Sequential)
        functions = list(functions.children())
    segment_size = len(functions) // segments
    end = -1    # (the last chunk is run without checkpoint)
    for start in range(0, segment_size * (segments - 1), segment_size):
        end = start + segment_size - 1
        input = checkpoint(run_function(start, end, functions), input, use_reentrant=use_reentrant,
                           preserve_rng_state=preserve)
    return run_function(end + 1, len(functions) - 1, functions)(input)
