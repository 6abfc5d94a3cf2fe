"""Differential fuzzer of jitgrad.compile (fuzz_compile.py): seeded random
functions called compiled and uncompiled on several argument sets must give
the same bits, dtypes, shapes, requires_grad, exceptions, gradients and
generator state, and report() must count the calls.

CI runs the same PROGRAMS seeds every time (derandomized); `--long` (or
JITGRAD_CFUZZ_PROGRAMS=n) runs many more locally. A failure prints the seed
and the function's source with the arguments of the differing call.
"""
import _fuzz_chunks as FZ
import fuzz_compile as FC

PROGRAMS = 400          # CI: ~10 s
LONG_PROGRAMS = 20_000  # --long
CHUNK = 100


def pytest_generate_tests(metafunc):
    if "chunk" in metafunc.fixturenames:
        metafunc.parametrize("chunk", FZ.chunk_indices(metafunc.config, "JITGRAD_CFUZZ_PROGRAMS", PROGRAMS, LONG_PROGRAMS, CHUNK))


def test_compiled_programs_match_eager(chunk, request):
    n = FZ.program_count(request.config, "JITGRAD_CFUZZ_PROGRAMS", PROGRAMS, LONG_PROGRAMS)
    failures = FZ.chunk_failures(FC.run, FC.Mismatch, chunk, CHUNK, n)
    assert not failures, f"{len(failures)} compiled programs differ from eager; the first:\n" + "\n".join(failures[:3])


def test_the_fuzzer_sees_a_difference():
    # (the comparison can fail: a -0.0 against +0.0, a requires_grad, an exception)
    t = FC.jitgrad.tensor
    assert FC.diff("r", t(0.0), t(-0.0))
    assert FC.diff("r", t([1.0], requires_grad=True) * 1, t([1.0]))
    assert FC.diff("r", ValueError("a"), t(1.0))
    assert FC.diff("r", t(float("nan")), -t(float("nan"))) is None
