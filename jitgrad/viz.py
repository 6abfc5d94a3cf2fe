"""jitgrad.viz: a picture of the recorded graph, as torchviz draws torch's.

    dot = jitgrad.viz.make_dot(loss, params={"w": w})
    print(dot.source)          # Graphviz DOT text: needs nothing else
    dot.render("graph", format="svg")   # needs the optional `graphviz` package

Op nodes are the backward nodes (`grad_fn`, `next_functions`), leaves show
their name (from `params`) and shape, outputs their shape.
"""
from .autograd.graph import AccumulateGrad
from .tensors.tensor import Tensor


class Dot:
    """DOT source of a graph; `render` / `pipe` hand it to graphviz."""

    def __init__(self, source: str):
        self.source = source

    def __str__(self):
        return self.source

    def _repr_svg_(self):
        return self.pipe(format="svg").decode()

    def _graphviz(self):
        try:
            import graphviz     # optional: only rendering needs it
        except ImportError as e:
            raise ImportError("jitgrad.viz: rendering needs the 'graphviz' Python package (pip install graphviz) "
                              "and the Graphviz binaries; the DOT text is in .source without them") from e
        return graphviz.Source(self.source)

    def render(self, filename=None, format="pdf", **kwargs):
        return self._graphviz().render(filename, format=format, **kwargs)

    def pipe(self, format="svg", **kwargs):
        return self._graphviz().pipe(format=format, **kwargs)


def _shape(t):
    return "(" + ", ".join(str(s) for s in t.shape) + ")"


def _quote(s):
    return '"' + str(s).replace('"', '\\"').replace("\n", "\\n") + '"'


def make_dot(var, params=None, show_attrs=False, show_saved=False, max_attr_chars=50) -> Dot:
    """DOT source of the graph that produced `var` (a tensor or tensors)."""
    names = {id(v): k for k, v in (params or {}).items()}
    outs = list(var) if isinstance(var, (tuple, list)) else [var]
    lines = ["digraph {", '\tgraph [size="12,12"]',
             '\tnode [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]']
    seen = set()

    def node_id(obj):
        return str(id(obj))

    def add(fn):
        if fn is None or id(fn) in seen:
            return
        seen.add(id(fn))
        if isinstance(fn, AccumulateGrad):
            v = fn.variable
            label = (names.get(id(v), "") + "\n" + _shape(v)).strip() if v is not None else "AccumulateGrad"
            lines.append(f"\t{node_id(fn)} [label={_quote(label)} fillcolor=lightblue]")
            return
        lines.append(f"\t{node_id(fn)} [label={_quote(type(fn).__name__)}]")
        for nxt, _ in fn.next_functions:
            if nxt is not None:
                add(nxt)
                lines.append(f"\t{node_id(nxt)} -> {node_id(fn)}")

    for t in outs:
        if not isinstance(t, Tensor):
            continue
        label = (names.get(id(t), "") + "\n" + _shape(t)).strip()
        lines.append(f"\t{id(t)} [label={_quote(label)} fillcolor=darkolivegreen1]")
        fn = t.grad_fn
        if fn is not None:
            add(fn)
            lines.append(f"\t{node_id(fn)} -> {id(t)}")
    lines.append("}")
    return Dot("\n".join(lines) + "\n")
