"""Set-up boilerplate users paste (device selection, cuDNN/TF32 switches,
memory formats, layout and storage flags) against PyTorch: the same
transcript, and the switches never change a result."""
import jitgrad


def test_device_selection_boilerplate(differential):
    differential(
        "device = 'cuda' if torch.cuda.is_available() else 'mps' if torch.backends.mps.is_available() else 'cpu'\n"
        "device",
        "torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else 'cpu'",
        "torch.accelerator.is_available(), torch.accelerator.device_count()",
        "torch.backends.cudnn.is_available(), torch.backends.mps.is_built(), torch.backends.cuda.is_built()",
        "torch.zeros(2, device=device) + 1",
    )


def test_determinism_switches_are_stored(differential):
    differential(
        "torch.backends.cudnn.deterministic = True\ntorch.backends.cudnn.benchmark = False\n"
        "torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark",
        "torch.backends.cuda.matmul.allow_tf32 = True\ntorch.backends.cudnn.allow_tf32 = False\n"
        "torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32",
        "torch.backends.cuda.matmul.allow_tf32 = False\ntorch.backends.cudnn.allow_tf32 = True\n"
        "torch.backends.cudnn.deterministic = False",
    )


def test_memory_formats_and_layout(differential):
    differential(
        "torch.contiguous_format, torch.preserve_format, torch.channels_last, torch.channels_last_3d",
        "torch.strided, type(torch.strided), type(torch.contiguous_format)",
        "x = torch.arange(6.).reshape(2, 3)\nx.layout, x.is_sparse, x.is_quantized, x.is_meta, x.is_mps, x.is_nested",
        "x.contiguous(memory_format=torch.contiguous_format)",
        "x.clone(memory_format=torch.preserve_format)",
        "x.to_dense() is x, x.to_dense(torch.float64)",
        "torch.empty_like(x, memory_format=torch.preserve_format).shape",
        "import pickle\npickle.loads(pickle.dumps(torch.contiguous_format)) is torch.contiguous_format",
    )


def test_switches_leave_results_alone():
    x = jitgrad.linspace(-1, 1, 7, requires_grad=True)
    (x.sin() * x).sum().backward()
    before = x.grad.clone()
    flags = jitgrad.backends.cudnn
    old = flags.deterministic, flags.benchmark
    try:
        flags.deterministic, flags.benchmark = True, True
        x.grad = None
        (x.sin() * x).sum().backward()
        assert jitgrad.equal(x.grad, before)
    finally:
        flags.deterministic, flags.benchmark = old


def test_factory_out_layout_and_pin_memory(differential):
    differential(
        "x = torch.ones(3, dtype=torch.int64)\nr = torch.zeros(3, out=x)\nx, r is x",
        "x = torch.empty(0)\nr = torch.linspace(0, 1, 5, out=x)\nx, r is x",
        "x = torch.ones(3)\ntorch.full((3,), 2., out=x)\nx",
        "x = torch.ones(2, 2)\ntorch.eye(2, out=x)",
        "x = torch.ones(4, dtype=torch.int64)\ntorch.arange(4, out=x)",
        "torch.ones(2, out=torch.ones(2, requires_grad=True))",
        "torch.zeros(3, out=torch.ones(3), dtype=torch.float64)",
        "torch.zeros(2, 3, layout=torch.strided, pin_memory=False), torch.ones(2, layout=torch.strided)",
        "torch.full((2,), 1.5, layout=torch.strided), torch.arange(3, layout=torch.strided)",
        "x = torch.arange(4.)\ntorch.zeros_like(x, memory_format=torch.preserve_format), "
        "torch.ones_like(x, layout=torch.strided), torch.full_like(x, 7, memory_format=torch.contiguous_format)",
    )
