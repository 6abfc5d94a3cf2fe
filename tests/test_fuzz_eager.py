"""Differential fuzzer: seeded random autograd programs (fuzz_programs.py)
must behave in jitgrad as in torch: values, gradients, dtypes, None versus
zero gradients, signs of zeros, exception types.

CI runs the same PROGRAMS seeds every time (derandomized); `--long` (or
JITGRAD_FUZZ_PROGRAMS=n) runs many more locally. A failure prints the seed
and the program up to the first difference.
"""
import _fuzz_chunks as FZ
import fuzz_programs as FP

PROGRAMS = 6000          # CI: a few thousand programs, ~10 s
LONG_PROGRAMS = 100_000  # --long
CHUNK = 250


def pytest_generate_tests(metafunc):
    if "chunk" in metafunc.fixturenames:
        metafunc.parametrize("chunk", FZ.chunk_indices(metafunc.config, "JITGRAD_FUZZ_PROGRAMS", PROGRAMS, LONG_PROGRAMS, CHUNK))


def test_random_programs_match_torch(chunk, request):
    n = FZ.program_count(request.config, "JITGRAD_FUZZ_PROGRAMS", PROGRAMS, LONG_PROGRAMS)
    failures = FZ.chunk_failures(FP.run, FP.Mismatch, chunk, CHUNK, n)
    assert not failures, f"{len(failures)} of the programs differ from torch; the first:\n" + "\n".join(failures[:3])
