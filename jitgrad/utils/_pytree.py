"""torch.utils._pytree: flatten / unflatten / map nested tuples, lists,
dicts, named tuples... (jitgrad/core/pytree.py)."""
from ..core.pytree import (LeafSpec, SUPPORTED_NODES, TreeSpec, is_namedtuple_instance,  # noqa: F401
                           register_pytree_node, tree_all, tree_all_only, tree_any, tree_any_only, tree_flatten,
                           tree_leaves, tree_map, tree_map_, tree_map_only, tree_map_only_, tree_structure,
                           tree_unflatten)
