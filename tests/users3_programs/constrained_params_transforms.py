# ruff: noqa: F821
import torch
from torch.distributions import constraints, transform_to, biject_to
torch.manual_seed(57)
torch.set_default_dtype(torch.float64)

# maximum-likelihood covariance estimation, optimising in unconstrained space via transform_to
X = torch.randn(100, 3) @ torch.tensor([[1.0, 0.0, 0.0], [0.5, 1.0, 0.0], [0.2, -0.3, 0.5]])
t_chol = transform_to(constraints.lower_cholesky)
t_pos = transform_to(constraints.positive)
t_unit = transform_to(constraints.unit_interval)
print(t_chol, t_pos, t_unit, biject_to(constraints.simplex))
raw = torch.zeros(3, 3, requires_grad=True)
raw_s = torch.zeros((), requires_grad=True)
opt = torch.optim.Adam([raw, raw_s], lr=0.05)
for it in range(50):
    L = t_chol(raw)
    s = t_pos(raw_s)
    dist = torch.distributions.MultivariateNormal(torch.zeros(3), scale_tril=L * s)
    nll = -dist.log_prob(X).mean()
    opt.zero_grad()
    nll.backward()
    opt.step()
print(f"{nll.item():.6f}")
print(torch.allclose(L @ L.T * s ** 2, X.T @ X / 100, atol=0.05))
numeric([nll, L, s, raw.grad])
# %%
y = torch.tensor([-2.0, 0.0, 3.0], requires_grad=True)
for t in (t_pos, t_unit, transform_to(constraints.interval(-1.0, 2.0)), biject_to(constraints.simplex)):
    out = t(y) if t is not biject_to(constraints.simplex) else t(y)
    ladj = t.log_abs_det_jacobian(y, out)
    inv = t.inv(out)
    print(type(t).__name__, out.shape, ladj.shape, torch.allclose(inv, y) if inv.shape == y.shape else inv.shape)
    numeric([out, ladj])
print(constraints.positive.check(torch.tensor([1.0, -1.0])), constraints.simplex.check(torch.tensor([0.3, 0.7])))
