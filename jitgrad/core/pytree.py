"""Pytrees as torch.utils._pytree defines them: tuples, lists, dicts,
named tuples, OrderedDicts, defaultdicts and deques are nodes (and types
registered with register_pytree_node); everything else, None included, is a
leaf. torch.func's transforms (jitgrad.transforms, vmapping) flatten their
arguments and results with these; jitgrad.utils._pytree is the public face."""
from __future__ import annotations

from collections import OrderedDict, defaultdict, deque
from typing import Any, Callable, Iterable, List, Optional, Tuple

# type -> (flatten(node) -> (children, context), unflatten(children, context) -> node)
SUPPORTED_NODES: dict = {}


def register_pytree_node(cls: type, flatten_fn: Callable, unflatten_fn: Callable, **_ignored: Any) -> None:
    if cls in SUPPORTED_NODES:
        raise ValueError(f"{cls} is already registered as pytree node.")
    SUPPORTED_NODES[cls] = (flatten_fn, unflatten_fn)


register_pytree_node(tuple, lambda t: (list(t), None), lambda c, _: tuple(c))
register_pytree_node(list, lambda t: (list(t), None), lambda c, _: list(c))
register_pytree_node(dict, lambda d: (list(d.values()), list(d)), lambda c, keys: dict(zip(keys, c)))
register_pytree_node(OrderedDict, lambda d: (list(d.values()), list(d)), lambda c, keys: OrderedDict(zip(keys, c)))
register_pytree_node(defaultdict, lambda d: (list(d.values()), [d.default_factory, list(d)]),
                     lambda c, ctx: defaultdict(ctx[0], zip(ctx[1], c)))
register_pytree_node(deque, lambda d: (list(d), d.maxlen), lambda c, maxlen: deque(c, maxlen=maxlen))


class _NamedTuple:
    """The node type of every named tuple (its class is the context)."""


def is_namedtuple_instance(obj) -> bool:
    cls = type(obj)
    return issubclass(cls, tuple) and isinstance(getattr(cls, "_fields", None), tuple)


def _node_type(tree):
    return _NamedTuple if is_namedtuple_instance(tree) else type(tree)


def _flatten_node(tree):
    """(children, context, node type) of a node, or None for a leaf."""
    kind = _node_type(tree)
    if kind is _NamedTuple:
        return list(tree), type(tree), kind
    entry = SUPPORTED_NODES.get(kind)
    if entry is None:
        return None
    children, context = entry[0](tree)
    return children, context, kind


class TreeSpec:
    """The structure of a pytree: a node's type, its context (dict keys,
    the named tuple class, ...) and its children's specs."""
    __slots__ = ("type", "context", "children_specs", "num_leaves", "num_nodes")

    def __init__(self, type: Any, context: Any, children_specs: List["TreeSpec"]) -> None:
        self.type, self.context, self.children_specs = type, context, children_specs
        self.num_leaves = sum(c.num_leaves for c in children_specs)
        self.num_nodes = 1 + sum(c.num_nodes for c in children_specs)

    @property
    def num_children(self) -> int:
        return len(self.children_specs)

    def is_leaf(self) -> bool:
        return False

    def children(self) -> List["TreeSpec"]:
        return list(self.children_specs)

    def child(self, index: int) -> "TreeSpec":
        return self.children_specs[index]

    def __eq__(self, other) -> bool:
        return (isinstance(other, TreeSpec) and self.is_leaf() == other.is_leaf() and self.type is other.type
                and self.context == other.context and self.children_specs == other.children_specs)

    def __hash__(self):
        return hash((self.type, self.num_nodes, self.num_leaves))

    def __repr__(self, indent: int = 0) -> str:
        name = "namedtuple" if self.type is _NamedTuple else self.type.__name__
        body = ""
        if self.children_specs:
            indent += 2
            first, rest = self.children_specs[0], self.children_specs[1:]
            body = first.__repr__(indent) + ("," if rest else "")
            body += ",".join("\n" + " " * indent + c.__repr__(indent) for c in rest)
        return f"TreeSpec({name}, {self.context}, [{body}])"

    def unflatten(self, leaves: Iterable[Any]) -> Any:
        leaves = list(leaves)
        if len(leaves) != self.num_leaves:
            raise ValueError(f"treespec.unflatten(leaves): `leaves` has length {len(leaves)} but the spec refers "
                             f"to a pytree that holds {self.num_leaves} items ({self}).")
        return self._build(iter(leaves))

    def _build(self, it):
        children = [c._build(it) for c in self.children_specs]
        if self.type is _NamedTuple:
            return self.context(*children)
        return SUPPORTED_NODES[self.type][1](children, self.context)


class LeafSpec(TreeSpec):
    def __init__(self) -> None:
        super().__init__(None, None, [])
        self.num_leaves, self.num_nodes = 1, 1

    def is_leaf(self) -> bool:
        return True

    def __repr__(self, indent: int = 0) -> str:
        return "*"

    def _build(self, it):
        return next(it)


_LEAF = LeafSpec()


def tree_flatten(tree: Any, is_leaf: Optional[Callable[[Any], bool]] = None) -> Tuple[List[Any], TreeSpec]:
    leaves: List[Any] = []
    return leaves, _flatten(tree, leaves, is_leaf)


def _flatten(tree, leaves, is_leaf):
    node = None if is_leaf is not None and is_leaf(tree) else _flatten_node(tree)
    if node is None:
        leaves.append(tree)
        return _LEAF
    children, context, kind = node
    return TreeSpec(kind, context, [_flatten(c, leaves, is_leaf) for c in children])


def tree_unflatten(leaves: Iterable[Any], treespec: TreeSpec) -> Any:
    if not isinstance(treespec, TreeSpec):
        raise TypeError(f"tree_unflatten(leaves, treespec): Expected `treespec` to be instance of TreeSpec but got "
                        f"item of type {type(treespec)}.")
    return treespec.unflatten(leaves)


def tree_leaves(tree: Any, is_leaf: Optional[Callable[[Any], bool]] = None) -> List[Any]:
    return tree_flatten(tree, is_leaf)[0]


def tree_structure(tree: Any, is_leaf: Optional[Callable[[Any], bool]] = None) -> TreeSpec:
    return tree_flatten(tree, is_leaf)[1]


def tree_map(func: Callable, tree: Any, *rests: Any, is_leaf: Optional[Callable[[Any], bool]] = None) -> Any:
    leaves, spec = tree_flatten(tree, is_leaf)
    others = [_flatten_up_to(spec, r) for r in rests]
    return spec.unflatten(func(*xs) for xs in zip(leaves, *others))


def _flatten_up_to(spec: TreeSpec, tree: Any) -> List[Any]:
    """tree's subtrees at spec's leaves (tree_map's other trees), or torch's ValueError."""
    if spec.is_leaf():
        return [tree]
    node = _flatten_node(tree)
    kind = None if node is None else node[2]
    if kind is not spec.type:
        expected = "namedtuple" if spec.type is _NamedTuple else spec.type
        raise ValueError(f"Node type mismatch; expected {expected}, but got {type(tree)}.")
    children, context, _ = node
    if len(children) != spec.num_children:
        raise ValueError(f"Node arity mismatch; expected {spec.num_children}, but got {len(children)}.")
    if context != spec.context:
        raise ValueError(f"Node context mismatch for custom node type {spec.type}.")
    return [x for c, s in zip(children, spec.children_specs) for x in _flatten_up_to(s, c)]


def tree_map_(func: Callable, tree: Any, *rests: Any, is_leaf: Optional[Callable[[Any], bool]] = None) -> Any:
    leaves, spec = tree_flatten(tree, is_leaf)
    for xs in zip(leaves, *[_flatten_up_to(spec, r) for r in rests]):
        func(*xs)
    return tree


def _only(types, func):
    return lambda x: func(x) if isinstance(x, types) else x


def tree_map_only(type_or_types, func: Callable, tree: Any, is_leaf: Optional[Callable[[Any], bool]] = None) -> Any:
    return tree_map(_only(type_or_types, func), tree, is_leaf=is_leaf)


def tree_map_only_(type_or_types, func: Callable, tree: Any, is_leaf: Optional[Callable[[Any], bool]] = None) -> Any:
    return tree_map_(_only(type_or_types, func), tree, is_leaf=is_leaf)


def tree_all(pred: Callable[[Any], bool], tree: Any, is_leaf: Optional[Callable[[Any], bool]] = None) -> bool:
    return all(map(pred, tree_leaves(tree, is_leaf)))


def tree_any(pred: Callable[[Any], bool], tree: Any, is_leaf: Optional[Callable[[Any], bool]] = None) -> bool:
    return any(map(pred, tree_leaves(tree, is_leaf)))


def tree_all_only(type_or_types, pred: Callable[[Any], bool], tree: Any,
                  is_leaf: Optional[Callable[[Any], bool]] = None) -> bool:
    return all(pred(x) for x in tree_leaves(tree, is_leaf) if isinstance(x, type_or_types))


def tree_any_only(type_or_types, pred: Callable[[Any], bool], tree: Any,
                  is_leaf: Optional[Callable[[Any], bool]] = None) -> bool:
    return any(pred(x) for x in tree_leaves(tree, is_leaf) if isinstance(x, type_or_types))
