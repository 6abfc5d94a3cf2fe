"""Nanoseconds per eager op on the scalar hot paths, and their parts, in CPU
time of this thread (other processes on a shared machine move wall-clock
timings far more than the differences measured here).

    python benchmarks/op_costs.py                     # this checkout
    python benchmarks/op_costs.py /path/to/other/root # another checkout (A/B)

For an A/B, run both roots alternately a few times and compare the medians
of the per-run minima (`python benchmarks/op_costs.py --ab OLD_ROOT`
does that: OLD_ROOT and this checkout alternately, in fresh processes).
The parts are lower bounds of what each op pays: Python's operator dispatch,
a Tensor made and freed, one record appended to a tape, one thread-local
lookup.
"""
import os
import statistics
import struct
import subprocess
import sys
import time
import timeit
import weakref

AB = len(sys.argv) > 2 and sys.argv[1] == "--ab"
ROOT = None if AB else sys.argv[1] if len(sys.argv) > 1 else None
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT or HERE)

import jitgrad as m  # noqa: E402
from jitgrad.core import tape as T  # noqa: E402
from jitgrad.tensors.tensor import Tensor  # noqa: E402

F = m.nn.functional


class _Empty:
    __slots__ = ()

    def __mul__(self, other):
        return self


def _make_tensor():
    o = object.__new__(Tensor)
    o._v = 1.0
    o._arr = None
    o.dtype = None
    o._rg = True
    o._tape = None
    o._slot = -1
    o._name = None
    return o


_PACK = struct.Struct("7q").pack
_TAPE = T.Tape()
_TAPE_REF = weakref.ref(_TAPE)


def _record():
    tape = _TAPE_REF()
    vals = tape.vals
    slot = len(vals)
    vals.append(0.5)
    tape.rec.frombytes(_PACK(2, slot, 1, 3, 4, 12, -1))
    if slot > 100_000:
        del vals[:]
        del tape.rec[:]


def main() -> None:
    a = m.tensor(0.5, requires_grad=True)
    b = m.tensor(0.7, requires_grad=True)
    af = m.tensor(0.5, requires_grad=True, dtype=m.float32)
    bf = m.tensor(0.7, requires_grad=True, dtype=m.float32)
    x = m.tensor([0.5 + 0.001 * i for i in range(1000)], requires_grad=True)
    ps = [m.tensor(0.1 * i + 0.3, requires_grad=True, dtype=m.float32) * 1.5 for i in range(4)]
    st = m.stack(ps)
    sc = st * 0.01
    w = F.softmax(sc, dim=0)
    v = m.tensor([0.1, 0.5, -0.3, 0.9], requires_grad=True)       # small vectors (default float32)
    v2 = m.tensor([0.2, -0.5, 0.3, 0.4], requires_grad=True)
    cond = a > b
    env = dict(globals(), a=a, b=b, af=af, bf=bf, x=x, ps=ps, st=st, sc=sc, w=w, u=_Empty(), v=v, v2=v2, cond=cond)

    def ns(stmt, number=20_000):
        timer = timeit.Timer(stmt, globals=env, timer=time.thread_time)
        return min(timer.repeat(number=number, repeat=7)) / number * 1e9

    rows = [  # (label, statement, calls per repeat)
        ("a * b  (0-d float64, both require grad)", "a * b", 20_000),
        ("af * bf  (0-d float32)", "af * bf", 20_000),
        ("af * 0.5  (0-d float32, a Python number)", "af * 0.5", 20_000),
        ("100 * a  (reflected)", "100 * a", 20_000),
        ("a ** 2", "a ** 2", 20_000),
        ("m.sin(a)", "m.sin(a)", 20_000),
        ("F.softplus(af)", "F.softplus(af)", 20_000),
        ("x[5]  (element of a 1000-vector)", "x[5]", 20_000),
        ("m.stack(four 0-d float32)", "m.stack(ps)", 3000),
        ("4-vector * 0.01", "st * 0.01", 3000),
        ("F.softmax(4-vector, dim=0)", "F.softmax(sc, dim=0)", 3000),
        ("4-vector.unbind(0)", "w.unbind(0)", 3000),
        # scalar-heavy user code (optimisers, samplers, physics models)
        ("m.where(cond, a, b)  (0-d)", "m.where(cond, a, b)", 3000),
        ("m.where(a > b, a, 0.0)", "m.where(a > b, a, 0.0)", 3000),
        ("a.clamp(0, 1)", "a.clamp(0, 1)", 3000),
        ("m.clamp(af, min=0.0)", "m.clamp(af, min=0.0)", 3000),
        ("m.maximum(a, b)", "m.maximum(a, b)", 3000),
        ("a > b", "a > b", 3000),
        ("a > 0.3", "a > 0.3", 3000),
        ("abs(a)", "abs(a)", 3000),
        ("F.relu(af)", "F.relu(af)", 3000),
        ("m.sigmoid(af)", "m.sigmoid(af)", 3000),
        ("m.tanh(af)", "m.tanh(af)", 3000),
        ("a ** b  (tensor exponent)", "a ** b", 3000),
        ("4-vector.max()", "v.max()", 3000),
        ("4-vector.max(0)", "v.max(0)", 3000),
        ("m.amax(4-vector)", "m.amax(v)", 3000),
        ("4-vector.min(dim=0)", "v.min(dim=0)", 3000),
        ("4-vector.mean()", "v.mean()", 3000),
        ("4-vector.sum()", "v.sum()", 3000),
        ("(4-vector * 4-vector).sum()", "(v * v).sum()", 3000),
        ("m.dot(4-vector, 4-vector)", "m.dot(v, v2)", 3000),
        ("4-vector.norm()", "v.norm()", 3000),
        ("m.logsumexp(4-vector, 0)", "m.logsumexp(v, 0)", 1000),
        ("m.tensor([0.5, 0.7])", "m.tensor([0.5, 0.7])", 3000),
        ("m.tensor([a, b])  (0-d tensors)", "m.tensor([a, b])", 3000),
        ("a.item()", "a.item()", 20_000),
    ]
    for label, stmt, number in rows:
        print(f"{label:58s} {ns(stmt, number):7.0f} ns")
    with m.no_grad():
        print(f"{'a * b under no_grad (nothing recorded)':58s} {ns('a * b'):7.0f} ns")
    print("parts:")
    print(f"{'  Python operator dispatch (an empty __mul__)':58s} {ns('u * u'):7.0f} ns")
    print(f"{'  a Tensor made (7 slots set) and freed, in a call':58s} {ns('_make_tensor()'):7.0f} ns")
    print(f"{'  one record: weakref, vals.append, pack, frombytes (a call)':58s} {ns('_record()'):7.0f} ns")
    lookup = ns("T.STATE.ctx") - ns("T.STATE") if hasattr(T.STATE, "ctx") else ns("T.STATE.grad_enabled") - ns("T.STATE")
    print(f"{'  one thread-local lookup':58s} {lookup:7.0f} ns")


def ab(old_root: str, runs: int = 5) -> None:
    """OLD_ROOT and this checkout alternately, each in a fresh process:
    the median over runs of each row's ns (the machine may be shared)."""
    results: dict = {old_root: {}, HERE: {}}
    labels: list = []
    for _ in range(runs):
        for root in (old_root, HERE):
            text = subprocess.run([sys.executable, os.path.abspath(__file__), root], capture_output=True,
                                  text=True, check=True).stdout
            for line in text.splitlines():
                if line.endswith(" ns"):
                    label, value = line[:-3].rsplit(None, 1)
                    label = label.strip()
                    if label not in labels:
                        labels.append(label)
                    results[root].setdefault(label, []).append(float(value))
    print(f"{'median ns over ' + str(runs) + ' interleaved runs':58s} {'before':>8s} {'after':>8s}")
    for label in labels:
        old, new = (statistics.median(results[r].get(label, [float('nan')])) for r in (old_root, HERE))
        print(f"{label:58s} {old:8.0f} {new:8.0f}   x{old / new:5.1f}")


if __name__ == "__main__":
    if AB:
        ab(sys.argv[2])
    else:
        main()
