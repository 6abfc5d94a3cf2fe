"""Differential fuzzer of jitgrad.compile (fuzz_compile.py): seeded random
functions called compiled and uncompiled on several argument sets must give
the same bits, dtypes, shapes, requires_grad, exceptions, gradients and
generator state, and report() must count the calls.

CI runs the same PROGRAMS seeds every time (derandomized); `--long` (or
JITGRAD_CFUZZ_PROGRAMS=n) runs many more locally. A failure prints the seed
and the function's source with the arguments of the differing call.
"""
import math
import os

import fuzz_compile as FC

PROGRAMS = 400          # CI: ~10 s
LONG_PROGRAMS = 20_000  # --long
CHUNK = 100


def _count(config):
    env = os.environ.get("JITGRAD_CFUZZ_PROGRAMS")
    if env:
        return int(env)
    return LONG_PROGRAMS if config.getoption("--long") else PROGRAMS


def pytest_generate_tests(metafunc):
    if "chunk" in metafunc.fixturenames:
        metafunc.parametrize("chunk", range(math.ceil(_count(metafunc.config) / CHUNK)))


def test_compiled_programs_match_eager(chunk, request):
    n = _count(request.config)
    failures = []
    for seed in range(chunk * CHUNK, min((chunk + 1) * CHUNK, n)):
        try:
            FC.run(seed)
        except FC.Mismatch as e:
            failures.append(str(e))
    assert not failures, f"{len(failures)} compiled programs differ from eager; the first:\n" + "\n".join(failures[:3])


def test_the_fuzzer_sees_a_difference():
    # (the comparison can fail: a -0.0 against +0.0, a requires_grad, an exception)
    t = FC.jitgrad.tensor
    assert FC.diff("r", t(0.0), t(-0.0))
    assert FC.diff("r", t([1.0], requires_grad=True) * 1, t([1.0]))
    assert FC.diff("r", ValueError("a"), t(1.0))
    assert FC.diff("r", t(float("nan")), -t(float("nan"))) is None
