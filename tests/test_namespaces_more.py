"""The smaller torch namespaces users paste, against torch:
torch.testing.assert_close / assert_allclose messages, make_tensor (ranges, checks, noncontiguous / exclude_zero and,
from the same seed, torch's values), torch.quasirandom.SobolEngine (plain
and scrambled sequences bit for bit, draw / draw_base2 / fast_forward /
reset, errors), torch.compiler, torch.jit pass-throughs, torch.version,
torch.autograd.profiler / anomaly_mode / grad_mode, torch.profiler's
schedule and on_trace_ready steps, torch.distributed before init_process_group,
nn.Container, torch.cpu / xpu / mps / mtia, torch.multiprocessing's sharing strategy,
and the deterministic debug mode. Each
case runs under both libraries; results, errors and warnings must be equal
(module names aside)."""
import warnings

import numpy as np
import pytest
import torch
import torch.profiler
import torch.quasirandom
import torch.testing

import jitgrad

with warnings.catch_warnings():
    # torch's first cudagraph_mark_step_begin imports its internals, which warn: done before the cases
    warnings.simplefilter("ignore")
    torch.compiler.cudagraph_mark_step_begin()


def _plain(x):
    """A library-neutral form of a result: tensors as (dtype, shape, stride-free values)."""
    if isinstance(x, (torch.Tensor, jitgrad.Tensor)):
        return ("tensor", str(x.dtype).split(".")[-1], tuple(x.shape), x.tolist())
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [_plain(v) for v in x])
    if isinstance(x, (torch.Size, jitgrad.Size)):
        return ("size", tuple(x))
    if isinstance(x, str) or type(x).__name__ == "dtype":
        return str(x).replace("jitgrad.", "torch.")
    if isinstance(x, (torch.nn.Module, jitgrad.nn.Module)):
        return ("module", type(x).__name__)
    return x


def _run(lib, code):
    env = {"torch": lib, "np": np, "__name__": "snippet"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(compile(code, "<snippet>", "exec"), env)
            result = _plain(env["out"])
        except Exception as e:  # noqa: BLE001  (the error is the result compared)
            result = ("error", type(e).__name__, str(e).replace("jitgrad.", "torch."))
    return result, sorted((w.category.__name__, str(w.message)) for w in caught)


CASES = [
    'torch.manual_seed(0)\nmt = torch.testing.make_tensor\nout = [mt(3, 4, dtype=torch.float32, device="cpu"), mt((2, 3), dtype=torch.float64, device="cpu", low=-1, high=1), mt(5, dtype=torch.int64, device="cpu"), mt(6, dtype=torch.uint8, device="cpu"), mt(4, dtype=torch.bool, device="cpu"), mt([2, 2], dtype=torch.int8, device="cpu", low=-300, high=300), mt(2, dtype=torch.float16, device="cpu").dtype]',
    'torch.manual_seed(1)\nx = torch.testing.make_tensor(3, 4, dtype=torch.float32, device="cpu", noncontiguous=True, requires_grad=True)\nout = [x, x.is_contiguous(), x.stride(), x.requires_grad, x.is_leaf, torch.testing.make_tensor(1, dtype=torch.float32, device="cpu", noncontiguous=True).is_contiguous()]',
    'torch.manual_seed(2)\nx = torch.testing.make_tensor(50, dtype=torch.int64, device="cpu", low=-1, high=2, exclude_zero=True)\ny = torch.testing.make_tensor(20, dtype=torch.float32, device="cpu", low=0, high=1e-37, exclude_zero=True)\nout = [x, (x == 0).any(), y.min() > 0]',
    'torch.manual_seed(3)\nout = [torch.testing.make_tensor(3, dtype=torch.float32, device="cpu", low=-1e39, high=1e39), torch.testing.make_tensor(3, dtype=torch.float64, device="cpu", low=-1e300, high=1e30)]',
    'out = torch.testing.make_tensor(3, dtype=torch.int64, device="cpu", requires_grad=True)',
    'out = torch.testing.make_tensor(3, dtype=torch.float32, device="cpu", low=2, high=1)',
    'out = torch.testing.make_tensor(3, dtype=torch.float32, device="cpu", low=float("nan"))',
    'out = torch.testing.make_tensor(3, dtype=torch.uint8, device="cpu", low=300, high=400)',
    'out = torch.testing.make_tensor(3, dtype=torch.float32, device="cpu", noncontiguous=True, memory_format=torch.contiguous_format)',
    'out = torch.testing.make_tensor(3, dtype=torch.float32)',
    'out = torch.testing.make_tensor(3, dtype=torch.float32, device="cpu", low=1, high=1)',
    'e = torch.quasirandom.SobolEngine(3, scramble=True, seed=5)\nout = [repr(e), e.draw(4), e.draw(3, dtype=torch.float64), e.fast_forward(9).draw(2), e.reset().draw_base2(2), e.num_generated, e.sobolstate[:, :3], e.quasi]',
    'torch.manual_seed(9)\ne = torch.quasirandom.SobolEngine(6, scramble=True)\nout = [e.draw(5), torch.rand(2)]',
    'out = torch.quasirandom.SobolEngine(21202)',
    'out = torch.quasirandom.SobolEngine(2).draw(3, dtype=torch.float16)',
    'out = torch.quasirandom.SobolEngine(2).draw(0)',
    'e = torch.quasirandom.SobolEngine(2)\nout = [e.draw(1), e.draw(0), e.draw_base2(0), e.draw_base2(1)]',
    'out = torch.quasirandom.SobolEngine(2).draw(3).shape, torch.quasirandom.SobolEngine(2).fast_forward(3).draw_base2(2)',
    'o = torch.zeros(1)\nr = torch.quasirandom.SobolEngine(2).draw(3, out=o)\nout = [r is o, o]',
    'torch.set_default_dtype(torch.float64)\ne = torch.quasirandom.SobolEngine(2, scramble=True, seed=1)\ntorch.set_default_dtype(torch.float32)\nout = [e.draw(2), e.draw(2, dtype=torch.float64)]',
    'e = torch.quasirandom.SobolEngine(2, scramble=True, seed=1)\nout = [e.draw(2, dtype=torch.float64)]',
    'out = [torch.version.cuda, torch.version.debug, torch.version.hip, type(torch.version.__version__).__name__ in ("str", "TorchVersion")]',
    'import typing\nout = [torch.jit.isinstance([1, 2], typing.List[int]), torch.jit.isinstance([1, "a"], typing.List[int]), torch.jit.isinstance({"a": [1.0]}, typing.Dict[str, typing.List[float]]), torch.jit.isinstance((1, "x"), typing.Tuple[int, str]), torch.jit.isinstance(None, typing.Optional[int]), torch.jit.isinstance(3, typing.Optional[int]), torch.jit.isinstance(torch.ones(1), torch.Tensor), torch.jit.isinstance([], typing.List[int])]',
    'class M(torch.nn.Module):\n    def __init__(self):\n        super().__init__(); self.lin = torch.nn.Linear(2, 1)\n        with torch.no_grad():\n            self.lin.weight.fill_(0.5); self.lin.bias.fill_(0.25)\n    @torch.jit.ignore\n    def helper(self, x): return x\n    @torch.jit.unused\n    def unused(self, x): return x\n    def forward(self, x): return self.lin(x)\ndef f(x):\n    return x * 2 + 1\nx = torch.ones(3, 2)\nt = torch.jit.trace(f, (torch.ones(2),)); tm = torch.jit.trace(M(), x); lin = torch.jit.script(M().lin)\nout = [t(torch.ones(2)), tm(x), lin(x), torch.jit.is_scripting(), torch.jit.is_tracing(), torch.jit.annotate(int, 3), torch.jit.wait(torch.jit.fork(f, torch.ones(1)))]',
    'out = torch.jit.freeze(torch.jit.script(torch.nn.Linear(2, 2)))',
    'out = [torch.jit.set_fusion_strategy([("STATIC", 1)]), torch.jit.set_fusion_strategy([("STATIC", 2), ("DYNAMIC", 10)]), torch.jit.Attribute(3, int), torch.jit.onednn_fusion_enabled()]',
    '@torch.jit.ignore(drop=True)\ndef g(x): return x + 1\n@torch.compiler.disable\ndef h(x): return x * 3\n@torch.compiler.disable(recursive=False)\ndef h2(x): return x * 4\nout = [g(torch.ones(1)), h(torch.ones(1)), h2(torch.ones(1)), torch.compiler.allow_in_graph(h)(torch.ones(1)), torch.compiler.assume_constant_result(h)(torch.ones(1)), torch.compiler.reset(), torch.compiler.is_compiling(), torch.compiler.is_dynamo_compiling(), torch.compiler.is_exporting(), torch.compiler.cudagraph_mark_step_begin()]',
    '@torch.compile(backend=\"eager\")\ndef f(x):\n    return x * 2 if torch.compiler.is_compiling() else x * 3\nout = [f(torch.tensor([1.0, 2.0])), f(torch.tensor([3.0, 4.0])), torch.compiler.is_compiling()]',
    'with torch.compiler.set_stance("force_eager"):\n    a = torch.ones(2) * 2\ntorch.compiler.set_stance("default")\nout = a',
    'out = []\nfor m in [0, 1, 2, "default", "warn", "error"]:\n    torch.set_deterministic_debug_mode(m)\n    out.append((torch.get_deterministic_debug_mode(), torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()))\ntorch.set_deterministic_debug_mode(0)',
    'out = torch.set_deterministic_debug_mode("x")',
    'out = torch.set_deterministic_debug_mode(3)',
    'out = torch.set_deterministic_debug_mode(1.5)',
    'x = torch.tensor([1.0, 2.0], requires_grad=True)\nwith torch.autograd.profiler.profile(record_shapes=True) as prof:\n    with torch.autograd.profiler.record_function("my_block"):\n        y = (x * x).sum()\ny.backward()\nout = [x.grad, prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=10) if False else "", isinstance(prof.key_averages().table(), str), prof.self_cpu_time_total >= 0]',
    'with torch.autograd.grad_mode.no_grad():\n    a = torch.ones(1, requires_grad=True) * 2\nwith torch.autograd.anomaly_mode.detect_anomaly():\n    b = torch.ones(1)\nout = [a.requires_grad, torch.autograd.grad_mode.set_grad_enabled(True) is not None, torch.autograd.anomaly_mode.set_detect_anomaly(False) is not None]',
    's = torch.profiler.schedule(wait=1, warmup=1, active=2, repeat=1)\nt = torch.profiler.schedule(wait=0, warmup=2, active=1, skip_first=3)\nout = [str(s(i)) for i in range(7)] + [str(t(i)) for i in range(10)]',
    'out = str(torch.profiler.schedule(wait=1, warmup=0, active=1)(3))',
    'out = torch.profiler.schedule(wait=-1, warmup=0, active=1)',
    'calls = []\nwith torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], schedule=torch.profiler.schedule(wait=1, warmup=1, active=2, repeat=2), on_trace_ready=lambda p: calls.append(p.step_num)) as prof:\n    for step in range(12):\n        with torch.profiler.record_function("step"):\n            torch.ones(2) * 2\n        prof.step()\nout = calls',
    'calls = []\nwith torch.profiler.profile(on_trace_ready=lambda p: calls.append(p.step_num)) as prof:\n    for step in range(3):\n        prof.step()\nout = calls',
    'with torch.profiler.profile() as prof:\n    pass\nout = prof.key_averages().table(sort_by="cpu_time_total", row_limit=10)',
    'out = torch.testing.assert_close(torch.tensor([1., 2., 3.]), torch.tensor([1., 2.5, 3.]))',
    'out = torch.testing.assert_close(torch.tensor([1, 2]), torch.tensor([1, 3]))',
    'out = torch.testing.assert_close(torch.tensor(1.), torch.tensor(1.1))',
    'out = torch.testing.assert_close(torch.tensor([1., 2.]), torch.tensor([1., 2.], dtype=torch.float64))',
    'out = torch.testing.assert_close(torch.ones(2, 3), torch.ones(3, 2))',
    'out = torch.testing.assert_close(1.0, 1.1)',
    'out = torch.testing.assert_close(1, 1.0)',
    'out = torch.testing.assert_close([torch.ones(2), torch.zeros(2)], [torch.ones(2), torch.ones(2)])',
    'out = torch.testing.assert_close({"a": torch.ones(2)}, {"a": torch.ones(2) * 2})',
    'out = torch.testing.assert_close({"a": 1}, {"b": 1})',
    'out = torch.testing.assert_close(torch.tensor([float("nan")]), torch.tensor([float("nan")]))',
    'out = torch.testing.assert_close(torch.tensor([float("nan")]), torch.tensor([float("nan")]), equal_nan=True)',
    'out = torch.testing.assert_close(torch.ones(2), torch.ones(2) * 1.01, rtol=1e-3, atol=0)',
    'out = torch.testing.assert_close(torch.ones(2), torch.ones(2) * 1.01, rtol=1e-3)',
    'out = torch.testing.assert_close(torch.ones(2), torch.ones(2) * 1.01, msg="custom")',
    'out = torch.testing.assert_close(torch.ones(2), torch.ones(2) * 1.01, msg=lambda m: "X" + m[:20])',
    'out = torch.testing.assert_close(torch.ones(2), np.ones(2))',
    'out = torch.testing.assert_close(np.ones(2), np.ones(2) * 2)',
    'out = torch.testing.assert_close(torch.ones(2), [1., 1.])',
    'out = torch.testing.assert_close("a", "b")',
    'out = torch.testing.assert_close(torch.tensor([True, False]), torch.tensor([True, True]))',
    'out = torch.testing.assert_close(torch.ones(2, dtype=torch.float64), torch.ones(2), check_dtype=False)',
    'out = torch.testing.assert_close(torch.arange(6.).reshape(2, 3), torch.arange(6.).reshape(2, 3) + torch.tensor([[0., 0., 0.], [0., 1., 0.]]))',
    'out = torch.testing.assert_close(torch.ones(3), torch.ones(3).t(), check_stride=True)',
    'out = torch.testing.assert_close(torch.zeros(2), torch.tensor([0., 1e-6]))',
    'out = torch.testing.assert_close(torch.ones(2, requires_grad=True), torch.ones(2))',
    'out = torch.testing.assert_close(torch.tensor([1., float("inf")]), torch.tensor([1., float("inf")]))',
    'out = torch.testing.assert_close(torch.tensor([1., float("inf")]), torch.tensor([1., -float("inf")]))',
    'out = torch.testing.assert_close(None, None)',
    'out = torch.testing.assert_close((1, 2), (1, 2, 3))',
    'out = torch.testing.assert_close(torch.tensor([1, 2], dtype=torch.int32), torch.tensor([1, 2]), check_dtype=False, atol=0, rtol=0)',
    'out = torch.testing.assert_close(torch.tensor(2), 2)',
    'out = torch.testing.assert_close(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0]).double(), rtol=0, atol=0, check_dtype=False)',
    'out = torch.testing.assert_allclose(torch.ones(2), torch.ones(2) * 2)',
    'out = torch.testing.assert_close([None, 1], [2, 1])',
    'out = torch.testing.assert_close({"b": torch.ones(1), "a": torch.zeros(1)}, {"a": torch.ones(1), "b": torch.zeros(1)})',
    'out = torch.testing.assert_close(np.ones(2), torch.ones(2))',
    'out = torch.testing.assert_allclose(torch.ones(2, dtype=torch.float64), torch.ones(2, dtype=torch.float64) * 1.00001)',
    'out = torch.testing.assert_allclose([1.0, 2.0], [1.0, 2.1])',
    'd = torch.distributed\nout = [d.is_available(), d.is_initialized(), d.is_torchelastic_launched(), str(d.ReduceOp.SUM), d.Backend.GLOO, d.is_available() and d.is_initialized()]',
    'out = torch.distributed.get_rank()',
    'out = torch.distributed.all_reduce(torch.ones(1), op=torch.distributed.ReduceOp.SUM)',
    'out = torch.distributed.get_world_size()',
    'c = torch.nn.Container(a=torch.nn.Linear(2, 3), b=torch.nn.ReLU())\nout = [repr(c), [n for n, _ in c.named_children()], isinstance(c, torch.nn.Module)]',
    "torch.manual_seed(1)\nout = [torch.randint(high=5, size=(4,)), torch.randint(high=3, size=(2,), dtype=torch.int32)]  # RandomSampler's spelling",
    'out = [torch.cpu.is_available(), torch.cpu.device_count(), torch.cpu.current_device(), torch.cpu.synchronize(), torch.xpu.is_available(), torch.xpu.device_count(), torch.xpu.manual_seed(0), torch.xpu.empty_cache(), torch.mps.device_count(), torch.mps.manual_seed(0), torch.mtia.is_available()]',
    'out = torch.xpu.synchronize()',
    'out = torch.mps.synchronize()',
    'out = torch.mps.empty_cache()',
    'device = "cuda" if torch.cuda.is_available() else "xpu" if torch.xpu.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"\nout = [device, torch.ones(2, device=device)]',
    'mp = torch.multiprocessing\nbefore = mp.get_sharing_strategy()\nmp.set_sharing_strategy("file_system")\nout = [before, mp.get_sharing_strategy(), sorted(mp.get_all_sharing_strategies()), mp.cpu_count() > 0]\nmp.set_sharing_strategy(before)'
]


@pytest.fixture(autouse=True)
def _restore_modes():
    yield
    for lib in (torch, jitgrad):
        lib.set_default_dtype(lib.float32)
        lib.use_deterministic_algorithms(False)


@pytest.mark.parametrize("code", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_same_as_torch(code):
    want, want_warnings = _run(torch, code)
    got, got_warnings = _run(jitgrad, code)
    assert got == want
    assert got_warnings == want_warnings


@pytest.mark.parametrize("dimension,scramble,seed", [(1, False, None), (40, False, None), (7, True, 11),
                                                     (300, True, 0)])
def test_sobol_sequences_bit_for_bit(dimension, scramble, seed):
    engines = [lib.quasirandom.SobolEngine(dimension, scramble=scramble, seed=seed) for lib in (torch, jitgrad)]
    for step in ("draw 1", "draw 100", "ff 37", "draw 64 f64", "reset 0", "ff 8", "base2 3"):
        kind, n = step.split()[0], int(step.split()[1])
        outs = []
        for e, lib in zip(engines, (torch, jitgrad)):
            if kind == "draw":
                outs.append(e.draw(n, dtype=lib.float64 if step.endswith("f64") else None).numpy())
            elif kind == "ff":
                outs.append(e.fast_forward(n).quasi.numpy())
            elif kind == "base2":
                outs.append(e.draw_base2(n).numpy())
            else:
                outs.append(e.reset().quasi.numpy())
        assert outs[0].dtype == outs[1].dtype and np.array_equal(outs[0], outs[1]), step
    assert np.array_equal(engines[0].sobolstate.numpy(), engines[1].sobolstate.numpy())


def test_sobol_without_scipy_names_the_extra(monkeypatch):
    import importlib.util

    import jitgrad.quasirandom as Q
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(Q, "_DIRECTIONS", {})
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "scipy" else find_spec(name, *a))
    with pytest.raises(ImportError, match=r"pip install jitgrad\[scipy\]"):
        Q.SobolEngine(3)


def test_new_namespaces_stay_lazy():
    import subprocess
    import sys
    code = ("import sys, jitgrad; lazy = ['jitgrad.' + m for m in ('compiler', 'jit', 'version', 'profiler', "
            "'quasirandom', 'distributed', 'multiprocessing', 'devices', 'autograd.profiler', 'autograd.grad_mode', 'autograd.anomaly_mode')]; "
            "print([m for m in lazy if m in sys.modules]); jitgrad.version.cuda; jitgrad.autograd.profiler.profile; "
            "print('jitgrad.version' in sys.modules and 'jitgrad.autograd.profiler' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["[]", "True"]
