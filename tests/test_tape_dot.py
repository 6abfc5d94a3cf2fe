"""CompiledTape.to_dot(): the recorded tape as Graphviz DOT text."""
import re

import jitgrad


def test_compiled_tape_to_dot_has_a_node_per_record_and_argument():
    f = jitgrad.compile(lambda x, w: ((x * w).tanh() + x[0]).sum())
    x = jitgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = jitgrad.tensor(0.5, requires_grad=True)
    f(x, w)
    tape = f.tapes[0]
    dot = tape.to_dot()
    assert dot.startswith("digraph {") and dot.rstrip().endswith("}")
    nodes = re.findall(r"^\t(\w+) \[label=", dot, flags=re.M)
    assert len(nodes) == len(tape.rec) + 2                  # two arguments
    edges = re.findall(r"^\t(\w+) -> (\w+)$", dot, flags=re.M)
    assert edges and all(a in nodes and b in nodes for a, b in edges)
    for name in ("mul", "tanh", "sum"):
        assert f'label="{name}\\n' in dot
    # every record but the arguments' readers has a producer feeding it
    assert {b for _, b in edges} >= {n for n in nodes if n.startswith("r")} - {"r0"}
