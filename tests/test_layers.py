"""The package's imports point down its layers and form no cycle.

Read with the standard library's `ast`, without importing anything: every
`import` / `from ... import` of a jitgrad module, at module level or inside a
function, is an edge. A lower layer reaches a higher one only through
registration (the higher layer attaches methods or hooks when it is
imported), never through an import.
"""
import ast
import gc
import os

import pytest

import jitgrad

PKG = os.path.dirname(jitgrad.__file__)

# Bottom to top. A module may import its own layer and the layers below.
LAYERS = [
    ["jitgrad.core"],
    ["jitgrad.tensors"],
    ["jitgrad.autodiff"],
    ["jitgrad.functional"],
    ["jitgrad.autograd"],
    ["jitgrad.nn", "jitgrad.linalg", "jitgrad.special", "jitgrad.optim", "jitgrad.utils", "jitgrad.transforms", "jitgrad.module_call", "jitgrad.captured_writes", "jitgrad.vmapping", "jitgrad.viz", "jitgrad.defaults", "jitgrad.testing", "jitgrad.serialization", "jitgrad.compat", "jitgrad.distributions"],
    ["jitgrad.func"],
    ["jitgrad.replay"],
    ["jitgrad", "jitgrad.__main__"],
]


def _modules():
    mods = {}
    for d, _, files in os.walk(PKG):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(d, f)
                rel = os.path.relpath(path, os.path.dirname(PKG))[:-3].replace(os.sep, ".")
                mods[rel[:-len(".__init__")] if rel.endswith(".__init__") else rel] = path
    return mods


MODULES = _modules()


def _layer(mod):
    best = None
    for rank, prefixes in enumerate(LAYERS):
        for p in prefixes:
            if (mod == p or mod.startswith(p + ".")) and (best is None or len(p) > best[1]):
                best = (rank, len(p))
    return best[0] if best else None


@pytest.fixture(scope="module")
def trees():
    """Every module's syntax tree (parsed once, when a test first needs them,
    not at collection; the cyclic GC paused meanwhile: the millions of new
    nodes would trigger collections of the whole test session's heap)."""
    gc.disable()
    try:
        return {m: ast.parse(open(p).read()) for m, p in MODULES.items()}
    finally:
        gc.enable()


def _statements(tree):
    """Every statement of a module, however nested (imports are statements,
    so the expressions, most of the tree, need no visit)."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, field, None)
            if isinstance(children, list):
                stack.extend(children)


def _imports(tree, mod, path):
    """(target module, line, at module level) of every jitgrad import in mod."""
    top = {id(n) for n in tree.body}
    for n in tree.body:     # imports inside module-level if/try still count as module level
        if isinstance(n, (ast.If, ast.Try)):
            top |= {id(c) for c in ast.walk(n)}
    is_pkg = path.endswith("__init__.py")
    for node in _statements(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = mod.split(".") if is_pkg else mod.split(".")[:-1]
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base.split(".")[0] != "jitgrad":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield (sub if sub in MODULES else base), node.lineno, id(node) in top
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "jitgrad":
                    yield alias.name, node.lineno, id(node) in top


@pytest.fixture(scope="module")
def edges(trees):
    return {m: list(_imports(trees[m], m, p)) for m, p in MODULES.items()}


def test_every_module_has_a_layer():
    assert [m for m in MODULES if _layer(m) is None] == []


def test_no_function_level_imports_of_jitgrad(edges):
    late = [f"{m}:{line} imports {t}" for m, es in edges.items() for t, line, top in es if not top]
    assert late == [], "imports inside functions hide the dependency structure:\n" + "\n".join(late)


def test_imports_point_down(edges):
    up = [f"{m}:{line} imports {t}" for m, es in edges.items() for t, line, _ in es
          if t in MODULES and _layer(t) > _layer(m)]
    assert up == [], "upward imports:\n" + "\n".join(up)


def test_no_import_cycles(edges):
    graph = {m: {t for t, _, _ in es if t in MODULES and t != m} for m, es in edges.items()}
    # A package imports its submodules and they import siblings through it:
    # the edge package -> submodule is the package's own loading, not a cycle.
    for m in graph:
        graph[m] = {t for t in graph[m] if not m.startswith(t + ".")}
    index, low, stack, on, cycles = {}, {}, [], set(), []

    def visit(v):      # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    assert cycles == [], f"import cycles: {cycles}"


# Module-level hooks an upper layer sets on a lower one at import or at run
# time: importing one by name copies its value at import time (a stale None).
HOOKS = {"_guard_hook", "bulk_recorder", "no_grad_hook", "write_hook", "compile_hook"}


def test_hooks_are_read_through_their_module(trees):
    bad = []
    for mod in MODULES:
        for node in _statements(trees[mod]):
            if isinstance(node, ast.ImportFrom):
                bad += [f"{mod}:{node.lineno} imports {a.name}" for a in node.names if a.name in HOOKS]
    assert bad == [], "\n".join(bad)


def test_no_merge_conflict_markers_left():
    """Docs and code hold no leftover merge-conflict markers."""
    root = os.path.dirname(PKG)
    paths = [os.path.join(root, n) for n in ("README.md", "ARCHITECTURE.md")]
    for base, _, files in os.walk(PKG):
        paths += [os.path.join(base, f) for f in files if f.endswith(".py")]
    bad = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for k, line in enumerate(fh, 1):
                if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line.rstrip("\n") == "=======":
                    bad.append(f"{path}:{k}")
    assert not bad, bad
