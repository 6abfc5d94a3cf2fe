import torch
import torch.nn as nn
x = torch.tensor([-4.0, -3.0, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 3.0, 6.0, 7.0], dtype=torch.float64, requires_grad=True)
torch.manual_seed(13)
acts = [nn.ReLU(), nn.ReLU6(), nn.Hardtanh(), nn.Hardtanh(-2, 2), nn.Hardsigmoid(), nn.Hardswish(), nn.LeakyReLU(0.1),
        nn.ELU(), nn.CELU(0.5), nn.SELU(), nn.GELU(), nn.GELU("tanh"), nn.SiLU(), nn.Mish(), nn.Softplus(beta=2, threshold=5),
        nn.Softsign(), nn.Tanhshrink(), nn.Softshrink(0.5), nn.Hardshrink(0.5), nn.Threshold(0.5, -1.0), nn.LogSigmoid(),
        nn.PReLU(), nn.RReLU(), nn.Sigmoid(), nn.Tanh()]
for a in acts:
    a.double()
    a.eval()
    y = a(x)
    g, = torch.autograd.grad(y.sum(), x)
    print(f"{str(a):<48} {y.grad_fn.name():<24}", g)
# %%
for f in [torch.abs, torch.sign, torch.sgn, lambda t: t.clamp(-1, 1), lambda t: t.clamp(min=0), torch.relu,
          lambda t: torch.maximum(t, torch.zeros_like(t)), lambda t: torch.fmax(t, torch.zeros_like(t)),
          lambda t: torch.max(t, torch.tensor(0.0)), lambda t: t.pow(0.5), lambda t: t.pow(1), lambda t: t.pow(0)]:
    y = f(x)
    g, = torch.autograd.grad(y.sum(), x)
    print(y.grad_fn.name(), g)
# %%
p = nn.PReLU(num_parameters=3, init=0.2)
t = torch.tensor([[-1.0, 2.0, -3.0], [0.0, -1.0, 1.0]], requires_grad=True)
o = p(t)
o.sum().backward()
print(o, p.weight.grad, t.grad)
glu = nn.GLU(dim=-1)
print(glu(torch.arange(4.0).view(1, 4)), nn.Softmin(1)(t), nn.LogSoftmax(0)(t))
