"""Differential test harness: run the same notebook-style code against PyTorch
(the oracle) and against the module under test (jitgrad), and compare what a
user would see.

A test hands the harness a sequence of *cells* (code strings, exactly as a
user would type them in a notebook; common indentation and leading blank
lines are removed).  Each cell is run like an IPython cell,
in one namespace shared by the cells of a test:

* ``import torch`` / ``from torch.autograd import grad`` inside a cell import
  the module under test (``torch`` is also pre-bound in the namespace);
* everything the cell prints to stdout is captured;
* if the cell's last statement is an expression, its ``repr`` is recorded
  (IPython's ``Out[n]``; ``None`` is not displayed, as in IPython);
* an exception stops the cell (not the following cells, as in Jupyter) and
  is recorded as ``"<type>: <message>"``, the way a traceback's last line
  prints it;
* warnings are recorded as category, message and where they point (the
  line of the cell, or "library code" when the warning's stacklevel points
  into the library instead of the user's code);
* cells may call ``numeric(obj)`` to record numbers that are compared with
  torch.testing-style tolerances instead of as text.

The only normalisations are ``jitgrad.`` -> ``torch.`` in all text (more
precisely ``<name of the module under test>.``) and object addresses
``0x[0-9a-f]+`` -> ``0x…``.  Everything else is compared verbatim, including
the "(Triggered internally at /__w/pytorch/...)" suffix torch 2.13 appends to
its C++ warnings (e.g. the non-leaf ``.grad`` UserWarning): that is what a
user sees printed.

Warn-once warnings (e.g. ``float()`` of a tensor that requires grad) would
make a transcript depend on test order, so cells run with
``set_warn_always(True)``: such a warning shows every time it is triggered, in
torch and in the module under test alike.

Environment:

``JITGRAD_TEST_MODULE``  name of the module under test (default ``jitgrad``).
    ``JITGRAD_TEST_MODULE=torch`` runs the whole suite torch-vs-torch, which
    validates the harness and the tests before jitgrad exists: with that
    setting every test must pass.

Fixtures: ``mut`` (the module under test), ``run_cells`` (run cells against
one module, returns a transcript), ``differential`` (run against torch and the
module under test and assert both transcripts are identical; skips if torch is
not installed).
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import dataclasses
import importlib
import io
import linecache
import math
import os
import re
import textwrap
import warnings
from typing import Any, Sequence

import pytest

MODULE_ENV = "JITGRAD_TEST_MODULE"
MODULE_UNDER_TEST = os.environ.get(MODULE_ENV, "jitgrad")

_ADDRESS = re.compile(r"0x[0-9a-f]+")

# torch.testing.assert_close default tolerances, by dtype name.
TOLERANCES = {
    "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7),
    "complex64": (1.3e-6, 1e-5),
    "complex128": (1e-7, 1e-7),
}
# Python floats handed to numeric() usually come from float32 tensors.
PY_FLOAT_TOLERANCE = TOLERANCES["float32"]


def pytest_addoption(parser):
    parser.addoption("--long", action="store_true", default=False,
                     help="long variants of the randomized and endurance tests (test_fuzz_eager.py: 100,000 "
                          "programs; the `long_run` fixture's tests: their full sizes)")


@pytest.fixture
def long_run(request) -> bool:
    """True under `--long`: a test then runs its full-size variant (CI runs a
    smaller one asserting the same properties)."""
    return bool(request.config.getoption("--long"))


# A cold Numba cache costs ~3.5 minutes of one core (`python -m jitgrad
# warmup` compiles every kernel family; a warm cache makes it a 2-second
# no-op). Under pytest-xdist (the README's command runs `-n auto`) the
# controller compiles everything before the workers start, in two processes
# each compiling half the families, so no worker waits on or repeats a
# compile. Without xdist a second process compiles on the other core while
# the first tests run (Numba writes each cache file whole, by rename: the
# processes share the cache safely; a kernel the tests reach first they
# compile themselves). JITGRAD_TEST_WARMUP=0 turns both off.
_WARMUP: list = []


def _warmup_process(part: int | None):
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    code = f"from jitgrad import warmup; warmup.main(part={part!r})"
    return subprocess.Popen([sys.executable, "-c", code], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def pytest_sessionstart(session):
    if (os.environ.get("JITGRAD_TEST_WARMUP", "1") != "1" or os.environ.get("NUMBA_DISABLE_JIT", "0") == "1"
            or MODULE_UNDER_TEST != "jitgrad" or hasattr(session.config, "workerinput")):
        return                                  # off, or an xdist worker (its controller warmed up)
    workers = getattr(session.config.option, "numprocesses", None) or 0
    if workers > 1:
        halves = [_warmup_process(part) for part in (0, 1)]
        for proc in halves:
            proc.wait()
    elif (os.cpu_count() or 1) > 1:
        _WARMUP.append(_warmup_process(None))


def pytest_sessionfinish(session, exitstatus):
    for proc in _WARMUP:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def pytest_report_header(config):
    return f"jitgrad differential tests: module under test = {MODULE_UNDER_TEST!r} (set {MODULE_ENV}=torch to validate the harness)"


# --------------------------------------------------------------------------
# transcripts


@dataclasses.dataclass(frozen=True)
class Num:
    """A number (or tensor) recorded with numeric(); compared with tolerances."""

    kind: str  # "tensor", "float", "int", "bool", "none", "seq", "other"
    dtype: str = ""
    shape: tuple = ()
    requires_grad: bool = False
    values: Any = None  # flat tuple for tensors, scalar otherwise, tuple of Num for seq

    def describe(self) -> str:
        if self.kind == "tensor":
            return f"tensor(values={list(self.values)}, dtype={self.dtype}, shape={self.shape}, requires_grad={self.requires_grad})"
        if self.kind == "seq":
            return f"{self.dtype}[" + ", ".join(v.describe() for v in self.values) + "]"
        return f"{self.kind}({self.values!r})"


@dataclasses.dataclass(frozen=True)
class CellResult:
    code: str
    stdout: str = ""
    value: str | None = None  # repr of the last expression (None: nothing displayed)
    error: str | None = None  # "RuntimeError: message"
    warnings: tuple = ()  # ("UserWarning", "message", "cell line 3: y.grad")
    numbers: tuple = ()  # Num records from numeric()

    def is_empty(self) -> bool:
        return not (self.stdout or self.value is not None or self.error or self.warnings or self.numbers)

    def render(self) -> str:
        out = []
        if self.stdout:
            out.append("stdout:\n" + _indent(self.stdout.rstrip("\n")))
        if self.value is not None:
            out.append("value (Out):\n" + _indent(self.value))
        if self.error is not None:
            out.append("error:\n" + _indent(self.error))
        for cat, msg, where in self.warnings:
            out.append(f"warning ({where}):\n" + _indent(f"{cat}: {msg}"))
        for n in self.numbers:
            out.append("numeric:\n" + _indent(n.describe()))
        return "\n".join(out) if out else "(no output)"


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.split("\n"))


def _qualified_name(cls: type) -> str:
    """Type name as a traceback prints it (no module for builtins)."""
    mod = getattr(cls, "__module__", None)
    name = getattr(cls, "__qualname__", cls.__name__)
    if mod in (None, "builtins", "__main__", "exceptions"):
        return name
    return f"{mod}.{name}"


class _Normaliser:
    def __init__(self, module):
        top = module.__name__.split(".")[0]
        self._module_re = None if top == "torch" else re.compile(r"(?<![\w.])" + re.escape(top) + r"\.")

    def __call__(self, text):
        if text is None:
            return None
        text = str(text)
        if self._module_re is not None:
            text = self._module_re.sub("torch.", text)
        return _ADDRESS.sub("0x…", text)


def _make_import(module):
    """__import__ that maps ``torch`` / ``torch.x`` to the module under test."""
    real_import = builtins.__import__
    top = module.__name__

    def _import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and (name == "torch" or name.startswith("torch.")):
            return real_import(top + name[len("torch"):], globals, locals, fromlist, level)
        return real_import(name, globals, locals, fromlist, level)

    return _import


def _to_num(obj, norm) -> Num:
    if obj is None:
        return Num("none")
    if isinstance(obj, bool):
        return Num("bool", values=obj)
    if isinstance(obj, int):
        return Num("int", values=obj)
    if isinstance(obj, float):
        return Num("float", values=obj)
    if isinstance(obj, (list, tuple)):
        return Num("seq", dtype=type(obj).__name__, values=tuple(_to_num(o, norm) for o in obj))
    if hasattr(obj, "dtype") and hasattr(obj, "shape") and hasattr(obj, "tolist"):
        det = obj.detach() if hasattr(obj, "detach") else obj
        vals = det.tolist()

        def flat(v):
            if isinstance(v, list):
                for item in v:
                    yield from flat(item)
            else:
                yield v

        return Num(
            "tensor",
            dtype=norm(obj.dtype),
            shape=tuple(int(s) for s in obj.shape),
            requires_grad=bool(getattr(obj, "requires_grad", False)),
            values=tuple(flat(vals)),
        )
    return Num("other", dtype=_qualified_name(type(obj)), values=norm(repr(obj)))


def run_cells(module, cells: Sequence[str], label: str = "cell") -> list[CellResult]:
    """Run notebook cells (code strings) against ``module`` bound as ``torch``.

    Warn-once warnings fire every time while the cells run (``set_warn_always``):
    otherwise whether a program shows one depends on which earlier test in the
    process tripped it first, in torch or in the module under test.
    """
    warn_always = module.is_warn_always_enabled()
    module.set_warn_always(True)
    try:
        return _run_cells(module, cells, label)
    finally:
        module.set_warn_always(warn_always)


def _run_cells(module, cells: Sequence[str], label: str) -> list[CellResult]:
    norm = _Normaliser(module)
    cell_builtins = dict(vars(builtins))
    cell_builtins["__import__"] = _make_import(module)
    ns: dict[str, Any] = {"__name__": "__main__", "__builtins__": cell_builtins, "torch": module}
    results = []
    for index, code in enumerate(cells):
        filename = f"<{label}-{index}>"
        source = textwrap.dedent(code).lstrip("\n")
        source = source if source.endswith("\n") else source + "\n"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        numbers: list = []
        ns["numeric"] = lambda obj, _numbers=numbers: _numbers.append(_to_num(obj, norm))
        stdout = io.StringIO()
        value = error = None
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(stdout):
            warnings.simplefilter("always")
            try:
                tree = ast.parse(source, filename)
                last = None
                if tree.body and isinstance(tree.body[-1], ast.Expr):
                    last = ast.Expression(tree.body.pop().value)
                exec(compile(tree, filename, "exec"), ns)
                if last is not None:
                    result = eval(compile(last, filename, "eval"), ns)
                    if result is not None:
                        value = repr(result)
            except Exception as exc:  # noqa: BLE001 - this is the point
                msg = str(exc)
                error = _qualified_name(type(exc)) + (f": {msg}" if msg else "")
        recorded = []
        for w in caught:
            if w.filename == filename:
                where = f"cell line {w.lineno}: {linecache.getline(filename, w.lineno).strip()}"
            else:
                where = "library code (stacklevel does not point at the user's line)"
            recorded.append((_qualified_name(w.category), norm(str(w.message)), where))
        results.append(
            CellResult(
                code=source,
                stdout=norm(stdout.getvalue()),
                value=norm(value),
                error=norm(error),
                warnings=tuple(recorded),
                numbers=tuple(numbers),
            )
        )
    return results


# --------------------------------------------------------------------------
# comparison


def _close(a: float, b: float, rtol: float, atol: float) -> bool:
    if isinstance(a, complex) or isinstance(b, complex):
        return abs(a - b) <= atol + rtol * abs(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= atol + rtol * abs(b)


def nums_match(got: Num, want: Num) -> bool:
    if got.kind != want.kind:
        return False
    if want.kind == "tensor":
        if (got.dtype, got.shape, got.requires_grad) != (want.dtype, want.shape, want.requires_grad):
            return False
        if len(got.values) != len(want.values):
            return False
        rtol, atol = TOLERANCES.get(want.dtype.rsplit(".", 1)[-1], (0.0, 0.0))
        for a, b in zip(got.values, want.values):
            if isinstance(b, float) or isinstance(a, float):
                if not _close(a, b, rtol, atol):
                    return False
            elif a != b or type(a) is not type(b):
                return False
        return True
    if want.kind == "float":
        return _close(got.values, want.values, *PY_FLOAT_TOLERANCE)
    if want.kind == "seq":
        return (
            got.dtype == want.dtype
            and len(got.values) == len(want.values)
            and all(nums_match(g, w) for g, w in zip(got.values, want.values))
        )
    return got == want


def cells_match(got: CellResult, want: CellResult) -> bool:
    return (
        (got.stdout, got.value, got.error, got.warnings) == (want.stdout, want.value, want.error, want.warnings)
        and len(got.numbers) == len(want.numbers)
        and all(nums_match(g, w) for g, w in zip(got.numbers, want.numbers))
    )


def _first_difference(got: str, want: str) -> str:
    index = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    lo = max(0, index - 30)
    return f"first difference at character {index}: {got[lo:index + 50]!r} vs torch {want[lo:index + 50]!r}"


def _explain(got: CellResult, want: CellResult) -> list[str]:
    notes = []
    for field in ("stdout", "value", "error"):
        a, b = getattr(got, field), getattr(want, field)
        if a != b:
            notes.append(f"{field}: " + (_first_difference(a, b) if a is not None and b is not None else f"{a!r} vs torch {b!r}"))
    if got.warnings != want.warnings:
        if len(got.warnings) != len(want.warnings):
            notes.append(f"warnings: {len(got.warnings)} vs torch {len(want.warnings)}")
        for (gc, gm, gw), (wc, wm, ww) in zip(got.warnings, want.warnings):
            if gc != wc:
                notes.append(f"warning category: {gc} vs torch {wc}")
            if gm != wm:
                notes.append("warning message: " + _first_difference(gm, wm))
            if gw != ww:
                notes.append(f"warning location: {gw} vs torch {ww}")
    if len(got.numbers) != len(want.numbers):
        notes.append(f"numeric records: {len(got.numbers)} vs torch {len(want.numbers)}")
    for i, (a, b) in enumerate(zip(got.numbers, want.numbers)):
        if not nums_match(a, b):
            notes.append(f"numeric record {i} not close (torch.testing tolerances): {a.describe()} vs torch {b.describe()}")
    return notes


def assert_same_transcript(got: Sequence[CellResult], want: Sequence[CellResult], name: str = MODULE_UNDER_TEST):
    assert len(got) == len(want)
    differing = [i for i, (g, w) in enumerate(zip(got, want)) if not cells_match(g, w)]
    if not differing:
        return
    first = differing[0]
    g, w = got[first], want[first]
    message = (
        f"cell {first} differs between {name} and torch:\n"
        + "".join(f"  * {note}\n" for note in _explain(g, w))
        + f"--- cell {first} code:\n{_indent(w.code.rstrip())}\n"
        f"--- {name} (normalised):\n{_indent(g.render())}\n"
        f"--- torch (reference):\n{_indent(w.render())}"
    )
    for index in differing[1:]:
        message += f"\n\ncell {index} differs too:\n" + "".join(f"  * {note}\n" for note in _explain(got[index], want[index]))
        message += f"--- cell {index} code:\n{_indent(want[index].code.rstrip())}"
    raise AssertionError(message)


def assert_nonvacuous(transcript: Sequence[CellResult]):
    """A differential test whose reference transcript is empty cannot fail."""
    assert any(not c.is_empty() for c in transcript), "test is vacuous: torch's transcript is empty"


# --------------------------------------------------------------------------
# fixtures


def load_module_under_test():
    try:
        return importlib.import_module(MODULE_UNDER_TEST)
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"cannot import the module under test {MODULE_UNDER_TEST!r} ({MODULE_ENV}): {exc!r}", pytrace=False)


@pytest.fixture(scope="session")
def mut():
    """The module under test (jitgrad, or torch with JITGRAD_TEST_MODULE=torch)."""
    return load_module_under_test()


@pytest.fixture(name="run_cells")
def run_cells_fixture():
    return run_cells


_CELL_SEED = 20261207


@pytest.fixture
def differential(request):
    """differential(*cells) -> jitgrad transcript, after asserting it equals torch's."""
    oracle = pytest.importorskip("torch")
    module = request.getfixturevalue("mut")

    def check(*cells: str) -> list[CellResult]:
        # Both start from one generator state: cells that draw without a
        # seed of their own see the same numbers whichever tests ran before
        # in this process (pytest-xdist changes that order from run to run).
        oracle.manual_seed(_CELL_SEED)
        want = run_cells(oracle, cells, label="torch")
        module.manual_seed(_CELL_SEED)
        got = run_cells(module, cells, label="cell")
        assert_nonvacuous(want)
        assert_same_transcript(got, want)
        return got

    return check
