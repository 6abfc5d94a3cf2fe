"""`import jitgrad` leaves the upper parts (nn, optim, func, utils, testing,
viz, replay) unloaded; they load on first attribute access (PEP 562), and
every way of reaching them works as before."""
import os
import subprocess
import sys

import pytest

import jitgrad

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAZY = ("nn", "optim", "func", "utils", "testing", "viz", "replay", "transforms")


# One child process runs every snippet of this file in a forked grandchild
# of its own (two at a time): the third-party imports (NumPy, Numba) are done
# once, before the forks, and each snippet still meets a jitgrad that no
# snippet has imported.
_FORKED = """
import io, json, os, sys, traceback
import numba, numpy  # noqa: F401  (shared by the forks; not jitgrad's)
codes = json.loads(sys.stdin.read())
width = max(1, min(2, os.cpu_count() or 1))     # forks running at once
results = [None] * len(codes)
running = []

def start(i):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        out = io.StringIO()
        sys.stdout = out
        try:
            exec(compile(codes[i], "<snippet>", "exec"), {"__name__": "__main__"})
            status = 0
        except BaseException:
            out.write(traceback.format_exc())
            status = 1
        data = out.getvalue().encode()
        while data:
            data = data[os.write(w, data):]
        os._exit(status)
    os.close(w)
    running.append((i, pid, r))

def finish():
    i, pid, r = running.pop(0)
    chunks = []
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    results[i] = [os.waitstatus_to_exitcode(status), b"".join(chunks).decode()]

for i in range(len(codes)):
    if len(running) == width:
        finish()
    start(i)
while running:
    finish()
sys.__stdout__.write(json.dumps(results))
"""


def _run_each(codes: list) -> dict:
    """code -> stdout of each snippet, each in a fresh fork that has not
    imported jitgrad (one interpreter start for all of them)."""
    import json
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", _FORKED], input=json.dumps(codes), env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout)
    for code, (status, text) in zip(codes, results):
        assert status == 0, (code, text)
    return {code: text for code, (_, text) in zip(codes, results)}


ON_DEMAND = [
    ("import jitgrad\nprint(type(jitgrad.nn.Linear(2, 3)).__name__)", "Linear"),
    ("import jitgrad.nn as nn\nprint(nn.functional.relu.__name__)", "relu"),
    ("from jitgrad import nn\nprint(nn.Module.__name__)", "Module"),
    ("from jitgrad.nn import Linear\nprint(Linear.__name__)", "Linear"),
    ("import jitgrad.nn.functional as F\nimport jitgrad\nprint(F is jitgrad.nn.functional)", "True"),
    ("import jitgrad\nprint(jitgrad.optim.SGD.__name__, jitgrad.optim.lr_scheduler.StepLR.__name__)", "SGD StepLR"),
    ("from jitgrad import compile, vmap, load_tape\nprint(compile.__name__, vmap.__name__, load_tape.__name__)",
     "compile vmap load_tape"),
    ("import jitgrad\nprint(jitgrad.func.grad.__name__, jitgrad.utils.data.DataLoader.__name__)", "grad DataLoader"),
    ("import jitgrad\nprint(jitgrad.testing.assert_close.__name__, jitgrad.viz.__name__)",
     "assert_close jitgrad.viz"),
    # (not a lazy name: a fresh process's jitgrad holds none of the upper parts)
    ("import sys, jitgrad\nprint(sorted(m for m in sys.modules if m.split('.')[:2] == ['jitgrad', 'nn']))", "[]"),
]


IMPORT_ONLY = ("import sys, jitgrad\n"
               "print(sorted({m.split('.')[1] for m in sys.modules if m.startswith('jitgrad.')}))")
FIRST_GRADIENT = ("import sys, jitgrad as t\n"
                  "x = t.tensor([1.0, 2.0], requires_grad=True)\n(x.sin() * x).sum().backward()\n"
                  "print(sorted({m.split('.')[1] for m in sys.modules if m.startswith('jitgrad.')}))")
# Numba's BLAS probe (core/numba_start.py): a first gradient does not import
# scipy.linalg; a compiled matmul then still replays through Numba's BLAS.
BLAS_PROBE = ("import importlib.util, sys, jitgrad as t\n"
              "x = t.tensor([1.0, 2.0], requires_grad=True)\n(x.sin() * x).sum().backward()\n"
              "print('scipy.linalg' in sys.modules)\n"
              "import numba.np.arraymath as am\n"
              "print(am._HAVE_BLAS == (importlib.util.find_spec('scipy') is not None))\n"
              "a = t.arange(12.0, dtype=t.float64).reshape(3, 4).requires_grad_()\n"
              "w = t.linspace(-1, 1, 8, dtype=t.float64).reshape(4, 2)\n"
              "f = t.compile(lambda a: (a @ w).sin().sum())\n"
              "v = [f(a + 0.0 * k).item() for k in range(3)]\n"
              "print(v[0] == v[2] == (a @ w).sin().sum().item(), f.tape_for(a).stats()['blas_records'])")
SELU = ("import sys, jitgrad\nprint('jitgrad.nn' in sys.modules)\n"
        "print(jitgrad.selu(jitgrad.tensor([-1.0, 2.0])).tolist())\nprint('jitgrad.nn' in sys.modules)")
STAR = ("from jitgrad import *\nprint(nn.Linear.__name__, optim.Adam.__name__, compile.__name__, "
        "tensor(1.5).item())")


def _save_tape(path):
    return ("import jitgrad as t\n"
            "f = t.compile(lambda x: (x * x).sum())\n"
            "x = t.tensor([1.0, 2.0], requires_grad=True)\nf(x)\n"
            f"f.tape_for(x).save({str(path)!r})\n"
            f"print(t.load_tape({str(path)!r})(x).item())")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """stdout of every snippet of this file, keyed by its code ("save": the tape file's)."""
    save = _save_tape(tmp_path_factory.mktemp("tape") / "f.npz")
    out = _run_each([IMPORT_ONLY, FIRST_GRADIENT, BLAS_PROBE, SELU, STAR, save] + [code for code, _ in ON_DEMAND])
    out["save"] = out[save]
    return out


def test_import_leaves_the_upper_parts_unloaded(outputs):
    assert jitgrad.__file__.startswith(ROOT)
    parts = eval(outputs[IMPORT_ONLY])
    for name in LAZY:
        assert name not in parts, (name, parts)
    assert {"core", "tensors", "autograd", "functional", "linalg"} <= set(parts)
    # nor does a first gradient load them
    parts = eval(outputs[FIRST_GRADIENT])
    assert not set(LAZY) & set(parts), parts


def test_first_gradient_skips_numba_s_scipy_probe_and_blas_still_replays(outputs):
    import importlib.util
    lazy, probe, replay = outputs[BLAS_PROBE].strip().split("\n")
    assert (lazy, probe) == ("False", "True")
    same, blas = replay.split()
    assert same == "True"
    # with SciPy, Numba has BLAS and the matmul record replays through it
    assert blas == ("1" if importlib.util.find_spec("scipy") is not None else "0")


@pytest.mark.parametrize("code, expected", ON_DEMAND)
def test_attribute_access_loads_on_demand(code, expected, outputs):
    assert outputs[code].strip() == expected


def test_torch_level_aliases_of_nn_functional_load_it_on_first_call(outputs):
    import torch
    before, value, after = outputs[SELU].split("\n")[:3]
    assert (before, after) == ("False", "True")
    assert eval(value) == torch.selu(torch.tensor([-1.0, 2.0])).tolist()


def test_compiled_tapes_save_without_importing_tapefile_first(outputs):
    assert float(outputs["save"]) == 5.0


def test_dir_and_all_list_the_lazy_names():
    names = dir(jitgrad)
    for name in LAZY + ("compile", "vmap", "load_tape", "tensor", "Tensor", "float32", "no_grad", "special",
                        "linalg", "autograd", "cuda"):
        assert name in names, name
    assert names == sorted(names)
    assert set(jitgrad.__all__) <= set(names)
    assert {"nn", "optim", "compile", "vmap", "tensor", "Tensor"} <= set(jitgrad.__all__)
    assert not [n for n in jitgrad.__all__ if n.startswith("_")]


def test_star_import_brings_the_lazy_names(outputs):
    assert outputs[STAR].split() == ["Linear", "Adam", "compile", "1.5"]


def test_unknown_attribute_is_torch_s_attribute_error():
    import torch
    with pytest.raises(AttributeError) as ours:
        jitgrad.no_such_thing
    with pytest.raises(AttributeError) as theirs:
        torch.no_such_thing
    assert str(ours.value) == str(theirs.value).replace("torch", "jitgrad")
    assert not hasattr(jitgrad, "no_such_thing")
