"""Differential fuzzer over the third vocabulary (fuzz_ops18.py,
fuzz_vocabulary18.py: functions, methods and variants the first two never
call, int/bool operands, non-contiguous views, in-place writes through
views, hooks on views, backward / in-place write / backward): seeded random
autograd programs must behave in jitgrad as in torch (values, gradients,
dtypes, None versus zero gradients, signs of zeros, exception types).

CI runs the same PROGRAMS seeds every time; `--long` (or
JITGRAD_FUZZ18_PROGRAMS=n) runs many more locally. A failure prints the
seed and the program up to the first difference.
"""
import _fuzz_chunks as FZ
import fuzz_ops18 as F18

PROGRAMS = 1200         # CI: ~15 s on one core
LONG_PROGRAMS = 60_000  # --long
CHUNK = 200


def pytest_generate_tests(metafunc):
    if "chunk" in metafunc.fixturenames:
        metafunc.parametrize("chunk", FZ.chunk_indices(metafunc.config, "JITGRAD_FUZZ18_PROGRAMS", PROGRAMS,
                                                       LONG_PROGRAMS, CHUNK))


def test_third_vocabulary_programs_match_torch(chunk, request):
    n = FZ.program_count(request.config, "JITGRAD_FUZZ18_PROGRAMS", PROGRAMS, LONG_PROGRAMS)
    failures = FZ.chunk_failures(F18.run, F18.Mismatch, chunk, CHUNK, n)
    assert not failures, f"{len(failures)} of the programs differ from torch; the first:\n" + "\n".join(failures[:3])


def test_the_third_vocabulary_draws_its_ops():
    # (the programs run the new vocabulary, not only the old steps: a seed range draws most of its tables)
    drawn = set()
    for seed in range(200):
        drawn |= F18.run(seed).used18
    assert len(drawn) > 150
