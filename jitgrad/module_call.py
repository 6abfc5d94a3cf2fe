"""torch.func.functional_call: a module called with some of its parameters
and buffers (dotted names) replaced by given tensors, restored afterwards
(tied weights follow, strict checks as torch's)."""
from __future__ import annotations


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *, tie_weights=True,
                    strict=False):
    """Call module with some of its attributes (dotted names: parameters,
    buffers) replaced by the given tensors, restoring them afterwards."""
    if isinstance(parameter_and_buffer_dicts, (tuple, list)):
        counts: dict = {}
        for d in parameter_and_buffer_dicts:
            for k in d:
                counts[k] = counts.get(k, 0) + 1
        repeated = [k for k, n in counts.items() if n > 1]
        if repeated:
            # (torch lists every repeated key)
            raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of functional call is ambiguous")
        merged = {}
        for d in parameter_and_buffer_dicts:
            merged.update(d)
    else:
        merged = dict(parameter_and_buffer_dicts)
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    kwargs = kwargs or {}
    if tie_weights and hasattr(module, "named_parameters"):    # (an object that is not a Module: nothing tied)
        merged = _untie(module, merged)
    if strict:
        _check_strict(module, merged)
    saved = []
    try:
        for name, value in merged.items():
            owner, attr = _owner(module, name)
            saved.append((owner, attr, _swap(owner, attr, value)))
        return module(*args, **kwargs)
    finally:
        for owner, attr, old in reversed(saved):
            _swap(owner, attr, old)


def _untie(module, given):
    """torch's tie_weights: a value given for one name of a tensor the module
    holds under several names (tied weights) replaces it under all of them."""
    named = dict(module.named_parameters(remove_duplicate=False))
    named.update(module.named_buffers(remove_duplicate=False))
    groups: dict = {}
    for name, t in named.items():
        groups.setdefault(id(t), set()).add(name)
    tied = {name: names for names in groups.values() if len(names) > 1 for name in names}
    given_tied = [name for name in given if name in tied]
    for name in given_tied:
        names = tied[name]
        if len(names.intersection(given_tied)) > 1 and \
                len({id(given[n]) for n in names if n in given}) != 1:
            raise ValueError(f"functional_call got multiple values for keys {sorted(names)}, which are tied. "
                             "Consider using tie_weights=False")
    untied = dict(given)
    for name in given_tied:
        for other in tied[name]:
            untied[other] = given[name]
    return untied


def _check_strict(module, given):
    known = [k for k, _ in module.named_parameters(remove_duplicate=False)]
    known += [k for k, _ in module.named_buffers(remove_duplicate=False)]
    unexpected = sorted(k for k in given if k not in known)
    missing = sorted(k for k in set(known) if k not in given)
    if unexpected or missing:
        lines = [f"Error(s) in reparametrizing for {type(module).__name__}:"]
        if unexpected:
            lines.append("\tUnexpected key(s): " + ", ".join(repr(k) for k in unexpected) + ".")
        if missing:
            lines.append("\tMissing key(s): " + ", ".join(repr(k) for k in missing) + ".")
        raise RuntimeError("\n".join(lines))


def _owner(module, name):
    *path, attr = name.split(".")
    owner = module
    for p in path:
        owner = getattr(owner, p)
    return owner, attr


def _swap(owner, attr, value):
    """Set owner.attr = value, returning the old value; a module keeping its
    tensors in _parameters / _buffers dicts gets the entry replaced."""
    for table in ("_parameters", "_buffers"):
        d = owner.__dict__.get(table) if hasattr(owner, "__dict__") else None
        if isinstance(d, dict) and attr in d:
            old = d[attr]
            d[attr] = value
            return old
    old = getattr(owner, attr, _ABSENT)
    if value is _ABSENT:
        object.__delattr__(owner, attr)    # (a name the module didn't have: torch sets it for the call)
    else:
        object.__setattr__(owner, attr, value)
    return old


_ABSENT = object()
