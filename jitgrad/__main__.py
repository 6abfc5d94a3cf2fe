"""``python -m jitgrad``: a short tour of jitgrad.
``python -m jitgrad warmup``: compile every Numba kernel ahead of time (warmup.py).

Runs a few PyTorch-style autograd examples, dumps the tape records of a small
expression, then times a 20,000-op scalar chain (forward + backward) against
PyTorch when it is installed. Takes a few seconds (Numba compiles the
backward sweep on first use, then caches it on disk).
"""
import math
import sys
import time

import jitgrad
from . import warmup
from .core import kernels as K
from .core import tape as T

CHAIN_STEPS = 5000        # 4 ops per step: 20,000 recorded ops
CHAIN_REPEATS = 5


def section(title):
    print(f"\n== {title} " + "=" * max(0, 66 - len(title)))


def examples():
    section("autograd, PyTorch's API")
    x = jitgrad.tensor(4.3, requires_grad=True, dtype=jitgrad.double)
    t0 = time.perf_counter()
    (x ** 2).backward()
    first = time.perf_counter() - t0
    print(">>> x = jitgrad.tensor(4.3, requires_grad=True, dtype=jitgrad.double)")
    print(">>> (x ** 2).backward(); x.grad")
    print(f"{x.grad!r}        # d(x^2)/dx = 2x")
    print(f"    (first backward: {first:.2f} s, including loading or compiling the Numba sweep)")

    v = jitgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (2 * v * v).backward(jitgrad.tensor([1.0, 0.1, 0.01]))
    print("\n>>> v = jitgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)")
    print(">>> (2 * v * v).backward(jitgrad.tensor([1.0, 0.1, 0.01])); v.grad")
    print(f"{v.grad!r}        # 4v * gradient")

    x = jitgrad.tensor([0.5, 1.0, 2.0], requires_grad=True, dtype=jitgrad.double)
    y = x * x.sum()
    rows = []
    for i in range(3):
        one_hot = jitgrad.zeros(3, dtype=jitgrad.double)
        one_hot[i] = 1.0
        x.grad = None
        y.backward(one_hot, retain_graph=True)
        rows.append(x.grad.clone())
    print("\n>>> x = jitgrad.tensor([0.5, 1.0, 2.0], requires_grad=True, dtype=jitgrad.double)")
    print(">>> y = x * x.sum()          # Jacobian rows: J[i, j] = x[i] + (i == j) * sum(x)")
    print(">>> for i in range(3): x.grad = None; y.backward(one_hot(i), retain_graph=True); row_i = x.grad")
    print(repr(jitgrad.stack(rows)))


def opcode_names():
    """Opcode -> name, from the constants of kernels.py (opcodes come first
    there, so they win over later constants with the same value)."""
    names = {}
    for name, value in vars(K).items():
        if name.isupper() and type(value) is int and not name.startswith(("REC_", "N_")):
            names.setdefault(value, name)
    return names


def tape_dump():
    section("the tape of y = x * x + sin(x)")
    open_tape = T.current()                  # records land here (kept alive by us)
    r0, s0 = len(open_tape), len(open_tape.vals)
    x = jitgrad.tensor(0.5, requires_grad=True, dtype=jitgrad.double)
    y = x * x + jitgrad.sin(x)
    tape = y._tape
    if tape is not open_tape:                # a fresh tape was opened after all
        r0 = s0 = 0
    names = opcode_names()
    width = K.REC_WIDTH
    rec, vals = tape.rec, tape.vals
    produced = {}
    print(f"{'record':>6}  {'op':<6} {'out':>4} {'n':>2} {'a':>4} {'b':>4} {'m':>2} {'ia':>3}")
    for r in range(r0, len(tape)):
        row = rec[r * width:(r + 1) * width]
        produced[row[K.REC_OUT]] = r
        print(f"{r:>6}  {names.get(row[K.REC_OP], row[K.REC_OP]):<6} {row[K.REC_OUT]:>4} {row[K.REC_N]:>2} "
              f"{row[K.REC_A]:>4} {row[K.REC_B]:>4} {row[K.REC_M]:>2} {row[K.REC_IA]:>3}")
    print(f"\n{'slot':>6}  value")
    for s in range(s0, len(vals)):
        what = ("x (leaf, entered as an input)" if x._tape is tape and s == x._slot
                else f"output of record {produced[s]}" if s in produced else "constant")
        print(f"{s:>6}  {vals[s]:<20.17g} {what}")
    y.backward()
    print("\ny.backward() sweeps these records last to first in one Numba call:")
    print(f"x.grad = {x.grad.item():.17g}   (2x + cos x = {2 * 0.5 + math.cos(0.5):.17g})")


def chain(m, steps=CHAIN_STEPS):
    """Forward + backward of the scalar chain; returns (forward s, backward s, y)."""
    t0 = time.perf_counter()
    x = m.tensor(0.5, requires_grad=True)
    y = x
    for _ in range(steps):
        y = y * 1.0001 + m.sin(y) * 0.5
    t1 = time.perf_counter()
    y.backward()
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, y.item()


def best_of(modules):
    """Best (forward, backward, y) per module, runs interleaved so that load
    from other processes hits every module alike."""
    for m in modules:
        chain(m)                              # warm-up
    runs = [[] for _ in modules]
    for _ in range(CHAIN_REPEATS):
        for i, m in enumerate(modules):
            runs[i].append(chain(m))
    return [min(r, key=lambda t: t[0] + t[1]) for r in runs]


def timing():
    n_ops = 4 * CHAIN_STEPS
    section(f"speed: {n_ops:,}-op scalar chain, forward + backward")
    print("x = tensor(0.5, requires_grad=True); y = x")
    print(f"for _ in range({CHAIN_STEPS}): y = y * 1.0001 + sin(y) * 0.5     # 4 ops per step")
    print(f"y.backward()                 (best of {CHAIN_REPEATS} interleaved runs after a warm-up)\n")
    names, modules = ["jitgrad"], [jitgrad]
    try:
        import torch
    except Exception as exc:  # noqa: BLE001 - any failure means: no comparison
        torch = None
        note = f"PyTorch is not importable ({type(exc).__name__}), skipping the comparison."
    if torch is not None:
        names.append(f"torch {torch.__version__}")
        modules.append(torch)
    rows = list(zip(names, best_of(modules)))
    print(f"{'':<22}{'forward':>11}{'backward':>11}{'total':>11}{'y':>10}")
    for name, (fwd, bwd, y) in rows:
        print(f"{name:<22}{fwd * 1e3:>8.1f} ms{bwd * 1e3:>8.2f} ms{(fwd + bwd) * 1e3:>8.1f} ms{y:>10.5f}")
    if torch is None:
        print(f"\n{note}")
        return
    (jf, jb, _), (tf, tb, _) = rows[0][1], rows[1][1]
    print(f"\njitgrad is {(tf + tb) / (jf + jb):.1f}x faster than torch here "
          f"(backward alone: {tb / jb:.0f}x; {jb / n_ops * 1e9:.0f} ns per recorded op).")


def main():
    t0 = time.perf_counter()
    print(f"jitgrad {jitgrad.__version__}: reverse-mode autodiff with PyTorch's API,")
    print("a flat tape, and a Numba-compiled backward sweep.")
    examples()
    tape_dump()
    timing()
    print(f"\n(demo took {time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    if sys.argv[1:] == ["warmup"]:
        warmup.main()
    else:
        main()
