import torch

torch.set_default_dtype(torch.float64)
x = torch.tensor([0.3, 1.2, 2.5, 4.0], requires_grad=True)
fns = {
    "lgamma": torch.lgamma, "digamma": torch.digamma, "erf": torch.erf, "erfc": torch.erfc,
    "erfinv": lambda t: torch.erfinv(t / 5), "i0": torch.i0, "i0e": torch.special.i0e,
    "i1": torch.special.i1, "i1e": torch.special.i1e, "ndtr": torch.special.ndtr,
    "ndtri": lambda t: torch.special.ndtri(t / 5), "log_ndtr": torch.special.log_ndtr,
    "expit": torch.special.expit, "logit": lambda t: torch.special.logit(t / 5),
    "sinc": torch.sinc, "entr": torch.special.entr, "xlog1py": lambda t: torch.special.xlog1py(t, t),
    "erfcx": torch.special.erfcx, "polygamma1": lambda t: torch.polygamma(1, t),
    "mvlgamma": lambda t: torch.mvlgamma(t + 1, p=2), "log1p": torch.log1p, "expm1": torch.expm1,
}
for name, fn in fns.items():
    y = fn(x)
    g, = torch.autograd.grad(y.sum(), x)
    print(f"{name:>10s}", y.grad_fn.name(), [f"{v:.10g}" for v in y.tolist()], [f"{v:.10g}" for v in g.tolist()])
# %%
print(torch.special.gammaln(torch.tensor([0.5, 10.0])), torch.special.multigammaln(torch.tensor(3.0), 3))
print(torch.special.log_softmax(torch.tensor([1.0, 2.0, 3.0]), 0), torch.special.logsumexp(torch.tensor([1.0, 2.0]), 0))
print(torch.special.zeta(torch.tensor([2.0, 3.0]), torch.tensor(1.0)))
print(torch.special.bessel_j0(torch.tensor([0.0, 1.0])), torch.special.round(torch.tensor([2.5, -0.5])))
# %%
torch.special.i1e(x).sum().backward()
print(x.grad)
xg = torch.tensor([2.0], requires_grad=True)
g1, = torch.autograd.grad(torch.special.zeta(xg, torch.tensor(1.0)), xg)
# %%
y = torch.digamma(x)
g, = torch.autograd.grad(y.sum(), x, create_graph=True)
print(g.grad_fn.name())
g2, = torch.autograd.grad(g.sum(), x)
print(g2, torch.polygamma(2, x.detach()))
# %%
z = torch.tensor([0.0, -1.0, 1e-300])
print(torch.special.entr(z), torch.special.xlogy(z, z), torch.lgamma(z), torch.digamma(z))
print(torch.special.erfinv(torch.tensor([1.0, -1.0, 2.0])), torch.special.logit(torch.tensor([0.0, 1.0, 0.2]), eps=1e-6))
