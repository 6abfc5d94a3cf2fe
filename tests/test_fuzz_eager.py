"""Differential fuzzer: seeded random autograd programs (fuzz_programs.py)
must behave in jitgrad as in torch: values, gradients, dtypes, None versus
zero gradients, signs of zeros, exception types.

CI runs the same PROGRAMS seeds every time (derandomized); `--long` (or
JITGRAD_FUZZ_PROGRAMS=n) runs many more locally. A failure prints the seed
and the program up to the first difference.
"""
import math
import os

import fuzz_programs as FP

PROGRAMS = 6000          # CI: a few thousand programs, ~10 s
LONG_PROGRAMS = 100_000  # --long
CHUNK = 250


def _count(config):
    env = os.environ.get("JITGRAD_FUZZ_PROGRAMS")
    if env:
        return int(env)
    return LONG_PROGRAMS if config.getoption("--long") else PROGRAMS


def pytest_generate_tests(metafunc):
    if "chunk" in metafunc.fixturenames:
        metafunc.parametrize("chunk", range(math.ceil(_count(metafunc.config) / CHUNK)))


def test_random_programs_match_torch(chunk, request):
    n = _count(request.config)
    failures = []
    for seed in range(chunk * CHUNK, min((chunk + 1) * CHUNK, n)):
        try:
            FP.run(seed)
        except FP.Mismatch as e:
            failures.append(str(e))
    assert not failures, f"{len(failures)} of the programs differ from torch; the first:\n" + "\n".join(failures[:3])
