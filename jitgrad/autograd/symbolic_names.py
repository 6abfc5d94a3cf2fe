"""create_graph: the node torch prints for the gradient a composite passes
to its inputs. jitgrad records a composite (softmax, mse_loss, celu...) as
several primitive records, so its input's gradient would print the last
primitive's node (MulBackward0, ViewBackward0...); torch's backward of the
composite is one op (softmax_backward_data, mse_loss_backward), whose node
the gradient ends in. The walk tags the records inside a composite (reached
from its output) and renames an input's gradient when that composite alone
contributed to it."""
import weakref

from ..core import oprules as R
from ..functional import base as FB

# a composite's node -> torch's node of the gradient it passes to its inputs
GRAD_NAMES = {
    "SoftmaxBackward0": "SoftmaxBackwardDataBackward0",
    "LogSoftmaxBackward0": "LogSoftmaxBackwardDataBackward0",
    "ProdBackward1": "MulBackward0", "MishBackward0": "MulBackward0",
    "StdBackward0": "MulBackward0", "VarBackward0": "MulBackward0",
    "LogSigmoidBackward0": "LogSigmoidBackwardBackward0",
    "MseLossBackward0": "MseLossBackwardBackward0",
    "SmoothL1LossBackward0": "SmoothL1LossBackwardBackward0",
    "HuberLossBackward0": "HuberLossBackwardBackward0",
    "BinaryCrossEntropyWithLogitsBackward0": "DivBackward1",
    "GeluBackward0": "GeluBackwardBackward0", "SoftplusBackward0": "SoftplusBackwardBackward0",
    "CeluBackward0": "EluBackwardBackward0", "EluBackward0": "EluBackwardBackward0",
    "HardtanhBackward0": "HardtanhBackwardBackward0", "ThresholdBackward0": "ThresholdBackwardBackward0",
    "HardswishBackward0": "HardswishBackwardBackward0",
    "NativeLayerNormBackward0": "NativeLayerNormBackwardBackward0",
    "NativeBatchNormBackward0": "NativeBatchNormBackwardBackward0",
}


class CompositeNames:
    """Per tape of a create_graph walk."""

    def __init__(self, tape):
        self.tape = tape
        self.names = FB.COMPOSITE_EDGES.get(tape)
        self.tags = {}      # slot inside a composite -> (gradient name, {input slot: size}, its output slot)
        self.marks = {}     # input slot -> that composite while it alone contributed, else None

    def of(self, out):
        """The composite the record writing `out` belongs to, or None."""
        if self.names is None:
            return None
        c = self.tags.get(out)     # (kept: records sharing an output, stack's, each look it up)
        if c is not None:
            return c
        named = self.names.get(out)
        if named is None or named[1] is None or named[0] not in GRAD_NAMES:
            return None
        edges = {}
        for e in named[1]:
            if e.__class__ is tuple and e[0]() is self.tape:
                edges[e[1]] = e[2]
            elif isinstance(e, weakref.ref):
                x = e()
                if x is not None and x._tape is self.tape and x._slot >= 0 and not x._bulk:
                    edges[x._slot] = x.numel()
        return (GRAD_NAMES[named[0]], edges, out) if edges else None

    def note(self, c, slot, g, adjs):
        """Before adjs.add(slot, g), g from a record of composite c (or None)."""
        if self.names is None:
            return
        if c is not None:
            n = c[1].get(slot)
            if n is None:
                self.tags[slot] = c     # (a value inside the composite)
            elif slot not in self.marks:
                held = slot in adjs.pieces or (adjs.inputs is not None and slot in adjs.inputs.pieces)
                self.marks[slot] = c if n == g.numel() and not held else None
            elif self.marks[slot] is None or self.marks[slot][2] != c[2]:
                self.marks[slot] = None     # (two composites: torch sums their gradients, AddBackward0)
        elif slot in self.marks:
            self.marks[slot] = None

    def name(self, slot, g):
        """g, the summed adjoint taken at `slot`, renamed if one composite made it."""
        if g is not None and self.marks:
            c = self.marks.pop(slot, None)
            if c is not None:
                R.rename(g, c[0])
        return g
