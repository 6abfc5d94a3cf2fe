"""Plain-timer report of the workloads in ``workloads.py``: jitgrad vs torch.

    python benchmarks/report.py                  # every workload
    python benchmarks/report.py scalar_chain     # some of them
    python benchmarks/report.py --repeats 15     # more rounds (noisy machine)
    python benchmarks/report.py --no-extras      # without the Numba floor, CasADi and fresh processes

Prints a Markdown table of the per-call time (min over rounds, after warm-up;
rounds of jitgrad and torch interleaved so load from other processes hits
both alike) and the machine it ran on. Always exits 0: the targets are
reported, not enforced. Works without torch (the torch column reads n/a).
"""
import argparse
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import comparators  # noqa: E402
import workloads as W  # noqa: E402


def backends():
    mods = {}
    for name in ("jitgrad", "torch"):
        try:
            mods[name] = W.load(name)
        except ImportError:
            pass
    return mods


def measure(workload, mods, repeats):
    """{backend: (min, median) seconds per call}, and whether values agree."""
    runs, plans, vals = {}, {}, {}
    for name, m in mods.items():
        runs[name] = workload.make(m)
        vals[name] = W.values(runs[name]())      # first call: compiles, checked below
        plans[name] = W.plan(runs[name], budget=0.3)
    times = {name: [] for name in mods}
    for _ in range(repeats):
        for name, run in runs.items():       # interleaved rounds
            iterations = plans[name][0]
            t0 = time.perf_counter()
            for _ in range(iterations):
                run()
            times[name].append((time.perf_counter() - t0) / iterations)
    result = {name: (min(ts), sorted(ts)[len(ts) // 2]) for name, ts in times.items()}
    agree = None if len(vals) < 2 else W.agree(vals["jitgrad"], vals["torch"])
    result["tape"] = tape_stats(runs.get("jitgrad"))
    return result, agree


def tape_stats(run):
    """(records, host-forward records) of a compiled workload's tape, or None."""
    cf = getattr(run, "compiled", None)
    tapes = getattr(cf, "tapes", None)
    if not tapes:
        return None
    st = tapes[0].stats()
    return st["records"], st["host_forward_records"]


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = [f"Python {platform.python_version()}"]
    for mod in ("numpy", "numba", "torch", "jitgrad"):
        try:
            versions.append(f"{mod} {__import__(mod).__version__}")
        except ImportError:
            versions.append(f"{mod} (not installed)")
    cores = os.cpu_count()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cores
    load = ""
    if hasattr(os, "getloadavg"):
        load = ", load average %.2f" % os.getloadavg()[0]
    return (f"Machine: {cpu}, {cores} cores ({usable} usable){load}, {platform.system()} "
            f"{platform.release()}\nVersions: {', '.join(versions)}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workloads", nargs="*", help="workload names (default: all)")
    ap.add_argument("--repeats", type=int, default=9, help="timed rounds per backend (default 9)")
    ap.add_argument("--no-extras", action="store_true",
                    help="skip the Numba floor and the fresh-process (import, first gradient) timings")
    args = ap.parse_args(argv)
    chosen = [W.BY_NAME[n] for n in args.workloads] if args.workloads else W.WORKLOADS
    mods = backends()
    results = {}

    rows, notes = [], []
    for w in chosen:
        res, agree = measure(w, mods, args.repeats)
        results[w.name] = res
        j = res["jitgrad"][0]
        t = res.get("torch", (None,))[0]
        ratio = "n/a" if t is None else f"{t / j:.1f}x"
        goal = f">= {w.target:g}x" + ("" if t is None or t / j >= w.target else " (missed)")
        rows.append((w.name, W.fmt_time(j), "n/a" if t is None else W.fmt_time(t), ratio, goal))
        if t is not None:
            met = "met" if t / j >= w.target else "MISSED"
            med = res["torch"][1] / res["jitgrad"][1]
            notes.append(f"- {w.name} ({w.timed}): target >= {w.target:g}x, {met} "
                         f"(min {t / j:.1f}x, median {med:.1f}x)"
                         + ("" if agree else "; WARNING: jitgrad and torch values differ"))
        print(f"  measured {w.name}", file=sys.stderr, flush=True)

    print("| workload | jitgrad | torch | torch / jitgrad | target |")
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    compiled = [(name, res) for name, res in results.items() if res.get("tape")]
    if compiled:
        print()
        print("| compiled workload | records | host records | ns per record |")
        print("|---|---:|---:|---:|")
        for name, res in compiled:
            records, host = res["tape"]
            print(f"| {name} | {records} | {host} | {res['jitgrad'][0] / max(records, 1) * 1e9:.1f} |")
    print()
    print(f"Per-call time: min of {args.repeats} interleaved rounds after warm-up.")
    if "torch" not in mods:
        print("torch is not installed: no comparison.")
    if notes:
        print("\n".join(notes))
    if not args.no_extras:
        print()
        print(extras(results, args.repeats))
    print()
    print(machine())
    return 0


def extras(results, repeats):
    """The hand-written Numba floor of the scalar chain, and import / first
    gradient times of fresh processes (cold and warm Numba cache)."""
    import tempfile
    lines = []
    floor_run = W.numba_chain()
    floor_run()
    ts = []
    for _ in range(repeats):
        iterations, _ = W.plan(floor_run, budget=0.05, warmup=0)
        t0 = time.perf_counter()
        for _ in range(iterations):
            floor_run()
        ts.append((time.perf_counter() - t0) / iterations)
    floor = min(ts)
    lines.append(f"Hand-written Numba scalar chain (same 20k ops, forward + backward, float64): {W.fmt_time(floor)}")
    for name in ("scalar_chain_f64_compiled", "scalar_chain_f64_vg", "scalar_chain_compiled"):
        if name in results:
            j = results[name]["jitgrad"][0]
            lines.append(f"- {name}: {j / floor:.1f}x the hand-written Numba floor (target <= 2x)")
    nd_run = W.numba_chain(coef=W.CHAIN_ND)
    nd_run()
    iterations, _ = W.plan(nd_run, budget=0.05, warmup=0)
    nd_floor = min(_per_call(nd_run, iterations) for _ in range(repeats))
    lines.append("Hand-written Numba non-degenerate scalar chain (same 20k ops, normal adjoints, float64): "
                 f"{W.fmt_time(nd_floor)}")
    for name in ("scalar_chain_nd_f64_compiled", "scalar_chain_nd_f64_vg"):
        if name in results:
            j = results[name]["jitgrad"][0]
            lines.append(f"- {name}: {j / nd_floor:.1f}x the hand-written Numba floor (target <= 2x)")
    rosen_run = W.numba_rosenbrock()
    rosen_run()
    iterations, _ = W.plan(rosen_run, budget=0.05, warmup=0)
    rfloor = min(_per_call(rosen_run, iterations) for _ in range(repeats))
    lines.append(f"Hand-written Numba Rosenbrock (n=1000, value + gradient, float64): {W.fmt_time(rfloor)}")
    for name in ("rosenbrock_compiled", "rosenbrock_vg"):
        if name in results:
            j = results[name]["jitgrad"][0]
            lines.append(f"- {name}: {j / rfloor:.1f}x the hand-written Numba floor (target <= 2x)")
    lines.append("")
    lines += comparators.table(repeats)     # CasADi, when installed
    lines.append("")
    lines.append("| fresh process | import | first gradient (from before the import) |")
    lines.append("|---|---:|---:|")
    # jitgrad's modules from bytecode, as installed (torch's are, in site-packages)
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as pyc:
        W.compile_bytecode(pyc)
        cold = W.fresh_process("jitgrad", cache, pyc)
        warm = [W.fresh_process("jitgrad", cache, pyc) for _ in range(3)]
    lines.append(f"| jitgrad, cold Numba cache | {W.fmt_time(cold[0])} | {W.fmt_time(cold[1])} |")
    lines.append(f"| jitgrad, warm Numba cache (min of 3) | {W.fmt_time(min(w[0] for w in warm))} | "
                 f"{W.fmt_time(min(w[1] for w in warm))} |")
    try:
        tw = [W.fresh_process("torch") for _ in range(3)]
        lines.append(f"| torch (min of 3) | {W.fmt_time(min(w[0] for w in tw))} | {W.fmt_time(min(w[1] for w in tw))} |")
    except Exception:
        lines.append("| torch | n/a | n/a |")
    imp, first = min(w[0] for w in warm), min(w[1] for w in warm)
    lines.append(f"- warm cache: import jitgrad {W.fmt_time(imp)} (target < 0.5 s: {'met' if imp < 0.5 else 'MISSED'}), "
                 f"first gradient {W.fmt_time(first)} (target <= 0.4 s: {'met' if first <= 0.4 else 'MISSED'})")
    lines.append(f"- cold cache: first gradient {W.fmt_time(cold[1])} (target <= 2 s: "
                 f"{'met' if cold[1] <= 2.0 else 'MISSED'}; `python -m jitgrad warmup` compiles every kernel "
                 "ahead of time, after which a fresh process starts warm)")
    return "\n".join(lines)


def _per_call(run, iterations):
    t0 = time.perf_counter()
    for _ in range(iterations):
        run()
    return (time.perf_counter() - t0) / iterations


if __name__ == "__main__":
    sys.exit(main())
