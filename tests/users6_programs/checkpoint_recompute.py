import torch
from torch.utils.checkpoint import checkpoint, checkpoint_sequential
from torch import nn
torch.manual_seed(0)
calls = []
def block(x, w):
    calls.append(1)
    return torch.tanh(x @ w)
x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
w = torch.randn(4, 4, dtype=torch.float64, requires_grad=True)
y = checkpoint(block, x, w, use_reentrant=False)
print(len(calls))
y.sum().backward()
print(len(calls), w.grad.sum())
# %%
seq = nn.Sequential(*[nn.Linear(4, 4) for _ in range(4)]).double()
inp = torch.randn(2, 4, dtype=torch.float64, requires_grad=True)
out = checkpoint_sequential(seq, 2, inp, use_reentrant=False)
out.sum().backward()
print(inp.grad)
ref_in = inp.detach().requires_grad_()
seq(ref_in).sum().backward()
print(torch.allclose(ref_in.grad, inp.grad))
