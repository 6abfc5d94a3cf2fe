"""What the two differential fuzzers' test files share (test_fuzz_eager.py,
test_fuzz_compile.py): how many seeded programs to run (CI's fixed count,
`--long`, or an environment variable), split into chunks of seeds, and a
chunk's failures."""
import math
import os


def program_count(config, env: str, ci: int, long: int) -> int:
    """Programs to run: $env if set, else `long` under --long, else `ci`."""
    value = os.environ.get(env)
    if value:
        return int(value)
    return long if config.getoption("--long") else ci


def chunk_indices(config, env: str, ci: int, long: int, size: int) -> range:
    return range(math.ceil(program_count(config, env, ci, long) / size))


def chunk_failures(run, mismatch, chunk: int, size: int, n: int) -> list:
    """The messages of the programs of seeds chunk*size .. (chunk+1)*size (below
    n) that `run(seed)` finds differing (raising `mismatch`)."""
    failures = []
    for seed in range(chunk * size, min((chunk + 1) * size, n)):
        try:
            run(seed)
        except mismatch as e:
            failures.append(str(e))
    return failures
