"""create_graph: the node torch prints for the gradient a composite passes
to its inputs. jitgrad records a composite (softmax, mse_loss, celu...) as
several primitive records, so its input's gradient would print the last
primitive's node (MulBackward0, ViewBackward0...); torch's backward of the
composite is one op (softmax_backward_data, mse_loss_backward), whose node
the gradient ends in. The walk tags the records inside a composite (reached
from its output) and renames an input's gradient when that composite alone
contributed to it."""
import weakref

import numpy as np

from ..core import kernels as K
from ..core import oprules as R
from ..functional import base as FB
from ..functional import functions as F
from . import graph as G

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


# Composites whose torch backward is one kernel of the input (hardtanh_backward,
# threshold_backward): their gradient depends on the input with derivative zero,
# so it stays in the graph (a second derivative is zeros, not an error).
_MASKED_BY_INPUT = {"HardtanhBackward0": "HardtanhBackwardBackward0",
                    "ThresholdBackward0": "ThresholdBackwardBackward0",
                    "HardshrinkBackward0": "HardshrinkBackwardBackward0",
                    "SoftshrinkBackward0": "SoftshrinkBackwardBackward0"}


_MASKED_NAMES = frozenset(_MASKED_BY_INPUT.values())


def _masked_by_input(contributions, proxy, name):
    res = []
    for slot, c in contributions:
        x = proxy(slot, c.numel())
        res.append((slot, R.rename(c * R.live_mask(np.ones(tuple(c.shape)), F.reshape(x, tuple(c.shape))), name)))
    return res


# A view's backward in torch is one node of its own, named after the view:
# the create_graph gradient through x[1:] is SliceBackwardBackward0(grad), ...
_VIEW_GRAD_NAMES = {
    "SelectBackward0": "SelectBackwardBackward0", "SliceBackward0": "SliceBackwardBackward0",
    "UnbindBackward0": "StackBackward0", "ViewBackward0": "ViewBackward0", "TBackward0": "TBackward0",
    "PermuteBackward0": "PermuteBackward0", "TransposeBackward0": "TransposeBackward0",
    "UnsqueezeBackward0": "SqueezeBackward1", "SqueezeBackward1": "UnsqueezeBackward0",
    "DiagonalBackward0": "DiagonalBackwardBackward0", "IndexBackward0": "IndexPutImplBackward0",
    "SplitBackward0": "CatBackward0", "ExpandBackward0": "SumBackward1",
}


def _view_grad_names(tape, r, op, n, g, contributions):
    """Name a view record's gradient (COPY, GATHER) as torch's node of the
    view's backward, its next function the incoming gradient's node. A
    COPY passes g on: a reshape gives it a node of its own (one record).
    One element of a vector (x[i]) is named where its reads are assembled
    (_select_sum)."""
    if g._rg and g._name in _MASKED_NAMES:
        # (a masked composite's route (where's gather) to its input: torch's one node of the composite's backward)
        return [(slot, R.rename(c, g._name)) for slot, c in contributions]
    named = FB.COMPOSITE_EDGES.get(tape, {}).get(int(tape.arrays()[0][r, 1]))
    fwd = named[0] if named is not None else G._record_name(tape, r, op, n)
    name = _VIEW_GRAD_NAMES.get(fwd)
    if name is None or fwd == "SelectBackward0" and op == K.COPY or not g._rg:
        return contributions
    res = []
    for slot, c in contributions:
        if c is g:
            c = F.reshape(g, (-1,))
        if c._rg and c._name is not None and c._name != "Proxy":
            FB._named(c, name, g)
        res.append((slot, c))
    return res
