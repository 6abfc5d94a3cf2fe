"""jitgrad.autograd.functional: jacobian, hessian, vjp, jvp, hvp, vhp with
torch.autograd.functional's signatures, argument handling and nesting.

Jacobians sweep all output rows at once through the batched reverse sweep
(reverse mode) or push all input directions through one tangent sweep
(forward mode, with or without `vectorize`, where torch needs it). `vectorize`
changes no computation; as in torch it rejects strict=True, and with
create_graph=True the blocks of one input share one graph. strict=True and
create_graph=True go row by row, as torch's vectorize=False loop does (strict
mode must know which rows reach which input; rows with a graph are recorded
one backward at a time anyway). Errors and result nesting are torch's.
"""
import contextlib

import numpy as np

from ..autodiff import bulk, engine
from ..core import kernels as K
from ..core import tape as T
from ..functional import functions as F
from ..core.grad_mode import enable_grad
from ..tensors.tensor import Tensor
from .api import sweep_rows
from .functional_args import (_as_tuple, _autograd_grad, _check_requires_grad, _fill_in_zeros, _grad_postprocess,
                              _grad_preprocess, _post, _validate_v, _zeros)


# ----- jacobian ----------------------------------------------------------------

def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
                             'function has more outputs than inputs, "forward-mode" tends to be more performant. '
                             'Otherwise, prefer to use "reverse-mode".')
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError("torch.autograd.functional.jacobian: `create_graph=True` "
                                      'and `strategy="forward-mode"` are not supported together (yet). '
                                      "Please either set `create_graph=False` or "
                                      '`strategy="reverse-mode"`.')
        return _jacfwd(func, inputs, strict, vectorize)
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        T.STATE.tape = T.dead        # the function records on a tape of its own
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "jacobian")
        _check_requires_grad(outputs, "outputs", strict=strict)
        if vectorize and strict:
            raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are "
                               "not supported together. Please either set `strict=False` or `vectorize=False`.")
        if create_graph and vectorize:
            jac = _jacobian_graph_vectorized(outputs, inputs)
        elif create_graph or strict:
            # Row by row, as torch: strict mode names the first (output, input)
            # pair found independent, which needs the reach of every row.
            jac = _jacobian_rowwise(outputs, inputs, strict, create_graph)
        elif vectorize and _joint(outputs):
            jac = _jacobian_joint(outputs, inputs)
        else:
            jac = _jacobian_batched(outputs, inputs)
        jac = _grad_postprocess(jac, create_graph)
    return _post(jac, (is_outputs_tuple, is_inputs_tuple))


def _jacobian_batched(outputs, inputs):
    """All rows of every output at once through the batched reverse sweep."""
    res = []
    for o in outputs:
        shape = tuple(o.shape)
        if not o.requires_grad or o.numel() == 0:
            res.append(tuple(_zeros(shape + tuple(x.shape), x.dtype) for x in inputs))
            continue
        found = sweep_rows(o, list(inputs), np.arange(o.numel()))
        res.append(tuple(_zeros(shape + tuple(x.shape), x.dtype) if g is None else
                         Tensor._wrap(g.reshape(shape + tuple(x.shape)), x.dtype)
                         for x, g in zip(inputs, found)))
    return tuple(res)


def _joint(outputs) -> bool:
    """Whether one output's rows get other outputs' zero contributions (see _jacobian_joint)."""
    return (any(o.requires_grad and o.numel() for o in outputs)
            and sum(1 for o in outputs if o.numel()) > 1)


def _jacobian_joint(outputs, inputs):
    """torch's vectorize=True: one batched backward over the basis of all
    outputs together, so an input's gradient sums every output's (zero)
    contribution: -0.0 from one output and +0.0 from another give +0.0. An
    output that needs no gradient has its columns too (zero seeds of the
    others: its rows are their signed zeros)."""
    live = [o for o in outputs if o.requires_grad and o.numel()]
    sizes = [o.numel() for o in outputs]
    total = sum(sizes)
    slots = max((len(o._tape.vals) for o in live if o._tape is not None), default=1)
    if total * slots * 8 > (1 << 24):
        return _jacobian_batched(outputs, inputs)      # (too large for one batch: output by output)
    seeds, off = [], 0
    for o, n in zip(outputs, sizes):
        if o.requires_grad and n:
            seed = np.zeros((n, total))
            seed[np.arange(n), off + np.arange(n)] = 1.0
            seeds.append(seed)
        off += n
    found = engine.run(live, seeds, True, inputs=list(inputs))
    res, off = [], 0
    for o, n in zip(outputs, sizes):
        shape = tuple(o.shape)
        res.append(tuple(_zeros(shape + tuple(x.shape), x.dtype) if g is None else
                         Tensor._wrap(np.asarray(g)[:, off:off + n].T.astype(x.dtype.np).reshape(shape + tuple(x.shape)),
                                      x.dtype)
                         for x, g in zip(inputs, found)))
        off += n
    return tuple(res)


def _jacobian_rowwise(outputs, inputs, strict, create_graph):
    """torch's vectorize=False loop: one grad per output element."""
    jac = []
    for i, out in enumerate(outputs):
        rows = tuple([] for _ in inputs)
        flat = out.reshape(-1)
        for j in range(out.numel()):
            # (each row's read on a tape of its own: the tape the previous row's
            # gradient was recorded on is not walked again for this one)
            T.STATE.tape = T.dead
            vj = _autograd_grad((flat[j],), inputs, retain_graph=True, create_graph=create_graph)
            for k, (acc, g, x) in enumerate(zip(rows, vj, inputs)):
                if g is not None:
                    if strict and create_graph and not g.requires_grad:
                        raise RuntimeError("The jacobian of the user-provided function is independent of "
                                           f"input {i}. This is not allowed in strict mode when create_graph=True.")
                    acc.append(g)
                else:
                    if strict:
                        raise RuntimeError(f"Output {i} of the user-provided function is independent of input "
                                           f"{k}. This is not allowed in strict mode.")
                    acc.append(_zeros(x.shape, x.dtype))
        jac.append(tuple(F.reshape(F.stack(acc), tuple(out.shape) + tuple(x.shape)) if acc
                         else _zeros(tuple(out.shape) + tuple(x.shape), x.dtype)
                         for x, acc in zip(inputs, rows)))
    return tuple(jac)


def _jacobian_graph_vectorized(outputs, inputs):
    """torch's vectorize=True with create_graph: the rows of all outputs form one
    batched gradient per input, split per output (so either every block of an
    input carries a graph or none does)."""
    numels = [o.numel() for o in outputs]
    per_input = [[] for _ in inputs]
    for o in outputs:
        flat = o.reshape(-1)
        for j in range(o.numel()):
            T.STATE.tape = T.dead        # (a tape of its own per row, as _jacobian_rowwise)
            vj = _autograd_grad((flat[j],), inputs, retain_graph=True, create_graph=True)
            for acc, g in zip(per_input, vj):
                acc.append(g)
    jac_in = []
    for x, rows in zip(inputs, per_input):
        if all(g is None for g in rows):
            jac_in.append(None)
        else:
            jac_in.append(F.stack([_zeros(x.shape, x.dtype) if g is None else g for g in rows]))
    res = []
    off = 0
    for o, n in zip(outputs, numels):
        block = []
        for x, whole in zip(inputs, jac_in):
            shape = tuple(o.shape) + tuple(x.shape)
            block.append(_zeros(shape, x.dtype) if whole is None else F.reshape(whole[off:off + n], shape))
        res.append(tuple(block))
        off += n
    return tuple(res)


def _jacfwd(func, inputs, strict, vectorize):
    """Forward mode: every input direction in one tangent sweep (torch's
    vectorize=True; without it torch raises, and so does this)."""
    if strict:
        raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` "
                           'and `strategy="forward-mode"` are not supported together (yet). '
                           "Please either set `strict=False` or "
                           '`strategy="reverse-mode"`.')
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
    if not vectorize:
        # (torch's message, its missing space included)
        raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse Hessian is"
                                  "only implemented for `vectorize=True`.")
    with enable_grad():
        xs = tuple(x.detach().requires_grad_(True) for x in inputs)
        T.STATE.tape = T.dead
        start = next(T._serials)
        with bulk.disabled():       # tangent sweeps need every value on the tape
            outs = func(*xs)
    is_outputs_tuple, outs = _as_tuple(outs, "outputs")
    res = jacobian_columns(xs, outs, start)      # (lists, as torch's forward-mode result)
    if T.STATE.grad_enabled and any(x.requires_grad for x in inputs):
        res = _tangents_with_graph(func, inputs, outs, res)
    return _post(res, (is_outputs_tuple, is_inputs_tuple))


def _tangents_with_graph(func, inputs, outs, res):
    """torch's forward-mode jacobian of inputs that require grad computes its
    tangents with differentiable ops: a row (one output's blocks, split from
    one batched tangent) whose tangent depends on an input carries the graph
    (ends in _jacfwd's permute + reshape). The graph is the reverse-mode
    create_graph jacobian's (the same derivatives); the values stay the
    forward tangents' (added back as a constant: exact, the two agree to
    rounding). Known difference: torch's mul by a constant (a * 2) gives a
    graph too, this one's row of 2s has none."""
    with enable_grad():
        ins = _grad_preprocess(inputs, create_graph=True, need_graph=True)
        T.STATE.tape = T.dead
        _, outputs = _as_tuple(func(*ins), "outputs")
        rev = _jacobian_rowwise(outputs, ins, False, True)
    rows = []
    for o, row, rrow in zip(outs, res, rev):
        donor = next((b for b in rrow if b.requires_grad), None)
        if donor is None:
            rows.append(row)
            continue
        new = []
        for x, value, block in zip(inputs, row, rrow):
            if not block.requires_grad:     # (a constant piece of a row with a graph: zero gradient)
                block = F.reshape(donor, (-1,))[:1].mul(0.0).reshape(()).expand(tuple(block.shape)) + block
            block = block + (value - block.detach())
            contiguous = x.numel() == 1 or o.numel() == 1
            new.append(F._named(block, "ViewBackward0" if contiguous else "ReshapeAliasBackward0"))
        rows.append(new)
    return rows


def jacobian_columns(xs, outs, start):
    """Per output, d o / d x for each input x (shape o.shape + x.shape), by
    forward tangents of every input direction at once over the tapes recorded
    since serial `start` (functional.jacobian's forward mode, func.jacfwd)."""
    sizes = [x.numel() for x in xs]
    total = sum(sizes)
    seeds, off = [], 0
    for n in sizes:
        s = np.zeros((n, total))
        s[np.arange(n), off + np.arange(n)] = 1.0
        seeds.append(s)
        off += n
    res = []
    for o, t in zip(outs, forward_tangents(xs, seeds, outs, start)):
        row, off = [], 0
        for x, n in zip(xs, sizes):
            shape = tuple(o.shape) + tuple(x.shape)
            row.append(Tensor._wrap(np.asarray(t)[:, off:off + n].reshape(shape).astype(o.dtype.np), o.dtype))
            off += n
        res.append(row)
    return res


def forward_tangents(xs, seeds, outs, start, skip=None):
    """Forward mode: tangents (n_out x K) of `outs` when input xs[i] moves
    along seeds[i] (n_in x K), by tangent sweeps over the tapes recorded
    since serial `start` (but those `skip` names: constants)."""
    k = seeds[0].shape[1]
    by_leaf = {id(x): s for x, s in zip(xs, seeds)}
    tapes = _tapes_since(outs, start)
    done = {}
    for tape in sorted(tapes, key=lambda tp: tp.serial):
        if skip is not None and skip(tape):
            continue
        rec, vals, meta, _ = tape.arrays()
        tan = np.zeros((len(vals), k))
        live = np.zeros(len(vals), np.uint8)     # slots with a tangent (the rest: constants)
        for leaf, older, older_slot, slot, n in tape.inputs:
            if leaf is not None:
                t = leaf()
                if t is not None and id(t) in by_leaf:
                    tan[slot:slot + n] = by_leaf[id(t)]
                    live[slot:slot + n] = 1
            elif older in done:
                tan[slot:slot + n] = done[older][0][older_slot:older_slot + n]
                live[slot:slot + n] = done[older][1][older_slot:older_slot + n]
        r = 0
        while r < len(rec):
            h = K.tangent_sweep(rec, vals, meta, tan, live, r, len(rec) - 1)
            if h < 0:
                break
            tape.host[h].jvp(tan, vals)
            live[rec[h, K.REC_OUT]:rec[h, K.REC_OUT] + max(rec[h, K.REC_N], 1)] = 1
            r = h + 1
        done[tape] = (tan, live)
    res = []
    for o in outs:
        if o._name is None:
            res.append(by_leaf.get(id(o), np.zeros((o.numel(), k))).copy())
        elif o._tape in done:
            res.append(done[o._tape][0][o._slot:o._slot + o.numel()].copy())
        else:
            res.append(np.zeros((o.numel(), k)))
    return res


def _tapes_since(outs, start):
    seen, stack = set(), [o._tape for o in outs if o._name is not None and o._tape is not None]
    while stack:
        tape = stack.pop()
        if tape in seen or tape.serial < start:
            continue
        seen.add(tape)
        stack.extend(older for _, older, _, _, _ in tape.inputs if older is not None)
    return seen


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def ensure_single_output_function(*inp):
        out = func(*inp)
        is_out_tuple, t_out = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _check_requires_grad(t_out, "outputs", strict=strict)
        if is_out_tuple or not isinstance(out, Tensor):
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should contain a single element")
        return out.squeeze()

    if outer_jacobian_strategy == "forward-mode" and vectorize and not strict and not create_graph:
        return _hessian_forward_over_reverse(func, inputs, is_inputs_tuple)

    def jac_func(*inp):
        if outer_jacobian_strategy == "forward-mode":
            inp = tuple(t.requires_grad_(True) for t in inp)
        jac = _scalar_gradient(ensure_single_output_function, inp)
        _check_requires_grad(jac, "jacobian", strict=strict)
        return jac

    res = jacobian(jac_func, inputs, create_graph=create_graph, strict=strict, vectorize=vectorize,
                   strategy=outer_jacobian_strategy)
    return _post(res, (is_inputs_tuple, is_inputs_tuple))


def _hessian_forward_over_reverse(func, inputs, is_inputs_tuple):
    """torch's forward-over-reverse Hessian never detaches: its inner gradient
    is built with create_graph=True and the outer forward-mode jacobian
    returns the tangents as they are, so each row that depends on an input
    (or on anything else requiring grad) keeps its graph (x.grad after
    H.sum().backward() is the third derivative) and ends in _jacfwd's
    permute + reshape: a view when the permuted tangent is contiguous, else
    _reshape_alias. The reverse-over-reverse Hessian with create_graph=True has
    the same graph, so it is computed that way and only its last nodes renamed."""
    res = hessian(func, inputs if is_inputs_tuple else inputs[0], create_graph=True)
    rows = [list(row) for row in res] if is_inputs_tuple else [[res]]
    for i, row in enumerate(rows):
        donor = next((b for b in row if b.requires_grad), None)
        if donor is None and T.STATE.grad_enabled and any(bool((b._data() != 0).any()) for b in row):
            # torch's inner gradient of a product (a * b, a * a) multiplies a primal of its inputs,
            # which forward-over-reverse makes require grad: a constant nonzero row has a graph
            # too (its gradient zero; an input that does not require grad gets a leaf of its own)
            x = inputs[i]
            donor = x if x.requires_grad else x.detach().requires_grad_(True)
        for j, block in enumerate(row):
            if donor is not None and not block.requires_grad:
                # torch splits one batched tangent per row: a constant block of a row
                # with a graph is still a piece of it (its gradient is zero)
                block = row[j] = F.reshape(donor, (-1,))[:1].mul(0.0).reshape(()).expand(block.shape) + block
            elif donor is not None:
                # reverse-over-reverse leaves -0. where forward tangents have 0. (torch prints "0.")
                block = row[j] = block + 0.0
            contiguous = inputs[j].numel() == 1 or inputs[i].numel() == 1
            F._named(block, "ViewBackward0" if contiguous else "ReshapeAliasBackward0")
    return rows if is_inputs_tuple else rows[0][0]


def _scalar_gradient(func, inputs):
    """jacobian(func, inputs, create_graph=True) (torch's hessian calls it
    without strict) for a func returning a 0-d tensor: one grad, and no
    reshape/index/stack records around its single row."""
    with enable_grad():
        inputs = _grad_preprocess(inputs, create_graph=True, need_graph=True)
        T.STATE.tape = T.dead
        out = func(*inputs)
        vj = _autograd_grad((out,), inputs, retain_graph=True, create_graph=True)
    return tuple(_zeros(x.shape, x.dtype) if g is None else g for g, x in zip(vj, inputs))


def _prepare_v(v, ref, is_ref_tuple, fn, create_graph, none_msg):
    if v is not None:
        _, v = _as_tuple(v, "v", fn)
        v = _grad_preprocess(v, create_graph=create_graph, need_graph=False)
        _validate_v(v, ref, is_ref_tuple)
        return v
    if len(ref) != 1 or ref[0].numel() != 1:
        raise RuntimeError(none_msg)
    return None


_V_NONE_INPUT = ("The vector v can only be None if the input to the user-provided function is a single Tensor "
                 "with a single element.")


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "vjp")
        _check_requires_grad(outputs, "outputs", strict=strict)
        v = _prepare_v(v, outputs, is_outputs_tuple, "vjp", create_graph,
                       "The vector v can only be None if the user-provided function returns a single Tensor "
                       "with a single element.")
        grad_res = _autograd_grad(outputs, inputs, v, create_graph=create_graph)
        vj = _fill_in_zeros(grad_res, inputs, strict, create_graph, "back")
    return (_post(_grad_postprocess(outputs, create_graph), is_outputs_tuple),
            _post(_grad_postprocess(vj, create_graph), is_inputs_tuple))


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    # Without create_graph and strict: one tangent sweep. Otherwise torch's
    # double-backward trick, whose intermediate results strict mode checks.
    fast = not create_graph and not strict
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        v = _prepare_v(v, inputs, is_inputs_tuple, "jvp", create_graph, _V_NONE_INPUT)
        if fast:
            T.STATE.tape = T.dead
            start = next(T._serials)
        with (bulk.disabled() if fast else contextlib.nullcontext()):
            outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "jvp")
        _check_requires_grad(outputs, "outputs", strict=strict)
        if fast:
            vs = v if v is not None else (Tensor._wrap(np.ones(inputs[0].shape)),)
            seeds = [np.asarray(vv._data(), np.float64).reshape(-1, 1) for vv in vs]
            tans = forward_tangents(inputs, seeds, outputs, start)
            jv = tuple(Tensor._wrap(t[:, 0].reshape(tuple(o.shape)).astype(o.dtype.np), o.dtype)
                       for o, t in zip(outputs, tans))
        else:
            grad_outputs = tuple(_zeros(o.shape, o.dtype).requires_grad_(True) for o in outputs)
            grad_inputs = _autograd_grad(outputs, inputs, grad_outputs, create_graph=True)
            _check_requires_grad(grad_inputs, "grad_inputs", strict=strict)
            grad_res = _autograd_grad(grad_inputs, grad_outputs, v, create_graph=create_graph)
            jv = _fill_in_zeros(grad_res, outputs, strict, create_graph, "back_trick")
    return (_post(_grad_postprocess(outputs, create_graph), is_outputs_tuple),
            _post(_grad_postprocess(jv, create_graph), is_outputs_tuple))


def _single_output(func, inputs, fn, strict):
    outputs = func(*inputs)
    is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", fn)
    _check_requires_grad(outputs, "outputs", strict=strict)
    if is_outputs_tuple or not isinstance(outputs[0], Tensor):
        raise RuntimeError(f"The function given to {fn} should return a single Tensor")
    if outputs[0].numel() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn} should contain a single element")
    return is_outputs_tuple, outputs


def _first_gradient(func, inputs, v, create_graph, strict, fn):
    """The shared start of vhp and hvp: prepared inputs and v, the single
    output, and its gradient (recorded, to be differentiated again)."""
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", fn)
    inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
    v = _prepare_v(v, inputs, is_inputs_tuple, fn, create_graph, _V_NONE_INPUT)
    is_outputs_tuple, outputs = _single_output(func, inputs, fn, strict)
    jac = _autograd_grad(outputs, inputs, create_graph=True)
    _check_requires_grad(jac, "jacobian", strict=strict)
    return is_inputs_tuple, inputs, v, is_outputs_tuple, outputs, jac


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    with enable_grad():
        is_inputs_tuple, inputs, v, is_outputs_tuple, outputs, jac = _first_gradient(
            func, inputs, v, create_graph, strict, "vhp")
        grad_res = _autograd_grad(jac, inputs, v, create_graph=create_graph)
        res = _fill_in_zeros(grad_res, inputs, strict, create_graph, "double_back")
    return (_post(_grad_postprocess(outputs, create_graph), is_outputs_tuple),
            _post(_grad_postprocess(res, create_graph), is_inputs_tuple))


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    with enable_grad():
        is_inputs_tuple, inputs, v, is_outputs_tuple, outputs, jac = _first_gradient(
            func, inputs, v, create_graph, strict, "hvp")
        grad_jac = tuple(_zeros(x.shape, x.dtype).requires_grad_(True) for x in inputs)
        double_back = _autograd_grad(jac, inputs, grad_jac, create_graph=True)
        _check_requires_grad(jac, "hessian", strict=strict)
        grad_res = _autograd_grad(double_back, grad_jac, v, create_graph=create_graph)
        res = _fill_in_zeros(grad_res, inputs, strict, create_graph, "double_back_trick")
    return (_post(_grad_postprocess(outputs, create_graph), is_outputs_tuple),
            _post(_grad_postprocess(res, create_graph), is_inputs_tuple))
