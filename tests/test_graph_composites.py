"""grad_fn.next_functions of composite ops (losses, linear, softmax, norms,
var/std, max, t) against PyTorch: the chain a user walks, as in the
60-minute blitz (`loss.grad_fn.next_functions[0][0]` is the Linear's
AddmmBackward0, then its bias's AccumulateGrad)."""
import pytest

SHOW = '''
def show(t, depth=3):
    def walk(node, d):
        if node is None or d == 0:
            return str(node and type(node).__name__)
        return type(node).__name__ + "(" + ", ".join(walk(n, d - 1) for n, _ in node.next_functions) + ")"
    return walk(t.grad_fn, depth)
x = torch.ones(4, 3, requires_grad=True)
tgt = torch.zeros(4, 2)
w = torch.ones(2, 3, requires_grad=True)
b = torch.zeros(2, requires_grad=True)
lin = F.linear(x, w, b)
cls = torch.tensor([0, 1, 1, 0])
ln, bn = torch.nn.LayerNorm(2), torch.nn.BatchNorm1d(2)
'''

CASES = [
    "F.linear(x, w, b)", "F.linear(x, w)", "x @ w.t()", "w.t()", "w.transpose(0, 1)",
    "F.mse_loss(lin, tgt)", "F.mse_loss(lin, tgt, reduction='none')", "F.l1_loss(lin, tgt)",
    "F.binary_cross_entropy(torch.sigmoid(lin), tgt)", "F.binary_cross_entropy_with_logits(lin, tgt)",
    "F.binary_cross_entropy_with_logits(lin, tgt, pos_weight=torch.ones(2))",
    "F.cross_entropy(lin, cls)", "F.cross_entropy(lin, cls, weight=torch.ones(2))",
    "F.nll_loss(F.log_softmax(lin, 1), cls)", "F.softmax(lin, 1)", "F.log_softmax(lin, 1)",
    "F.smooth_l1_loss(lin, tgt)", "F.huber_loss(lin, tgt)", "F.gelu(lin, approximate='tanh')",
    "F.softplus(lin, beta=2.)", "F.logsigmoid(lin)", "F.hardtanh(lin)", "F.layer_norm(lin, (2,))",
    "ln(lin)", "bn(lin)", "lin.max()", "lin.var()", "lin.std(1)",
    "torch.relu(lin).sum()", "(lin ** 2).mean(1)",
]


@pytest.mark.parametrize("expr", CASES)
def test_next_functions_chain(differential, expr):
    differential("import torch.nn.functional as F\n" + SHOW, f"show({expr})")


def test_blitz_walk(differential):
    differential(
        "import torch.nn as nn\ntorch.manual_seed(0)\n"
        "net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))\n"
        "loss = nn.MSELoss()(net(torch.ones(5, 3)), torch.zeros(5, 2))",
        "print(loss.grad_fn)\nprint(loss.grad_fn.next_functions[0][0])\n"
        "print(loss.grad_fn.next_functions[0][0].next_functions[0][0])",
        "node = loss.grad_fn.next_functions[0][0].next_functions[1][0]\n"
        "type(node).__name__, node.next_functions[0][0].next_functions[1][0].name()",
        "leaf = loss.grad_fn.next_functions[0][0].next_functions[0][0]\nleaf.variable is net[2].bias",
    )


def test_composite_edges_keep_no_tape_alive():
    import gc
    import weakref

    import jitgrad
    w = jitgrad.ones(2, 3, requires_grad=True)
    b = jitgrad.zeros(2, requires_grad=True)
    refs = []
    for _ in range(3):
        loss = jitgrad.nn.functional.mse_loss(jitgrad.nn.functional.linear(jitgrad.ones(4, 3), w, b),
                                              jitgrad.zeros(4, 2))
        refs.append(weakref.ref(loss._tape))
        loss.backward()
        del loss
    gc.collect()
    # (the leaves cache the last tape they joined: only the older ones must be gone)
    assert all(r() is None for r in refs[:-1])
