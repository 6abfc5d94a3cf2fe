"""First gradient of a fresh process, with an empty (cold) and a filled (warm)
Numba cache: import, recording and the first backward timed separately.

    python benchmarks/cold_start.py              # 3 rounds, every program
    python benchmarks/cold_start.py --rounds 5 plain

Each round makes a new empty NUMBA_CACHE_DIR: the first process compiles
(cold), the next three load from the cache (warm, min of 3). Programs:
`plain`, the 0-d `(x * x).sin()` of the README's cold-start target;
`vector`, broadcasting, indexing and sums on a small vector (still the
basic sweep); `special`, `lgamma` and `softplus`, records only the full
sweep differentiates (its compile on first use); `lgamma`, `erfinv`,
`digamma`: one special function (its own kernels); `compile`: a
`jitgrad.compile` recording, then a replay and its backward. Prints the median over
rounds, and the load average, which moves these numbers a lot on a shared
machine. The first gradient includes Numba's own start-up (its target
initialisation, ~0.2-0.4 s even with a warm cache).

`--pyc` imports jitgrad from compiled bytecode, as an installed package
does: with PYTHONDONTWRITEBYTECODE=1 in the environment (as on the
development machine) every process compiles jitgrad's ~70 modules from
source, ~0.3 s of its import.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PROGRAMS = {
    "plain": "x = t.tensor(2., requires_grad=True)\ny = (x * x).sin()",
    "vector": ("x = t.tensor([0.5, -1.0, 2.0, 3.0], requires_grad=True)\n"
               "y = ((x * x[1]).exp() + x ** 2 / 3.0).sum() + x[2:].tanh().sum()"),
    "special": ("x = t.tensor([0.5, 1.5, 2.5], requires_grad=True)\n"
                "y = (t.lgamma(x) * t.nn.functional.softplus(x)).sum()"),
    "lgamma": "x = t.tensor([0.5, 1.5, 2.5], requires_grad=True)\ny = t.lgamma(x).sum()",
    "erfinv": "x = t.tensor([0.5, -0.25, 0.75], requires_grad=True)\ny = t.erfinv(x).sum()",
    "digamma": "x = t.tensor([0.5, 1.5, 2.5], requires_grad=True)\ny = t.digamma(x).sum()",
    # jitgrad.compile: "record" is the recording call (its backward: the
    # eager sweep) and the first replay's forward, "first backward" that
    # replay's reverse (replay_reverse)
    "compile": ("f = t.compile(lambda x: (x.sin() * x).sum() + x[0] * x[1])\n"
                "f(t.tensor([0.5, 1.0, 2.0], requires_grad=True)).backward()\n"
                "y = f(t.tensor([0.7, 1.1, 2.1], requires_grad=True))"),
}

CODE = """
import time
t0 = time.perf_counter()
import jitgrad as t
t1 = time.perf_counter()
{program}
t2 = time.perf_counter()
y.backward()
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t3 - t0)
"""


PYC = {}     # --pyc: PYTHONPYCACHEPREFIX of the bytecode compiled before the rounds


def fresh(program: str, cache_dir: str) -> list:
    """[import, record, backward, total] seconds of one new process."""
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir, **PYC)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    if PYC:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run([sys.executable, "-c", CODE.format(program=PROGRAMS[program])], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=900)
    return [float(v) for v in out.stdout.split()]


def measure(program: str, rounds: int):
    """(cold, warm): per column, the median over rounds (warm: min of 3 per round)."""
    cold, warm = [], []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(fresh(program, cache))
            runs = [fresh(program, cache) for _ in range(3)]
            warm.append(min(runs, key=lambda r: r[3]))
    med = lambda rows: [statistics.median(col) for col in zip(*rows)]     # noqa: E731
    return med(cold), med(warm)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("programs", nargs="*", help=f"some of {', '.join(PROGRAMS)} (default: all)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pyc", action="store_true", help="import from compiled bytecode (as installed)")
    args = ap.parse_args()
    for program in args.programs:
        if program not in PROGRAMS:
            ap.error(f"unknown program {program!r}")
    args.programs = args.programs or list(PROGRAMS)
    pyc = tempfile.TemporaryDirectory() if args.pyc else None
    if pyc is not None:
        PYC["PYTHONPYCACHEPREFIX"] = pyc.name
        subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.join(ROOT, "jitgrad")], check=True,
                       env=dict(os.environ, PYTHONPYCACHEPREFIX=pyc.name), stdout=subprocess.DEVNULL)
    print("| program | cache | import | record | first backward | total |")
    print("|---|---|---:|---:|---:|---:|")
    for program in args.programs:
        cold, warm = measure(program, args.rounds)
        for name, row in (("cold", cold), ("warm", warm)):
            print(f"| {program} | {name} | " + " | ".join(f"{v:.2f} s" for v in row) + " |")
    print(f"\nmedian of {args.rounds} rounds; load average {os.getloadavg()[0]:.1f} "
          f"({os.cpu_count()} cores); jitgrad imported from "
          + ("bytecode (--pyc)" if args.pyc else "source" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "bytecode"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
