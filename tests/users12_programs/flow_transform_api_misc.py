import torch
from torch.distributions import Normal, Uniform, TransformedDistribution, LogNormal
from torch.distributions import transforms as T
torch.manual_seed(0)

x = torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)
for t in [T.ExpTransform(), T.SigmoidTransform(), T.TanhTransform(), T.SoftplusTransform(),
          T.AffineTransform(1.0, -2.0), T.PowerTransform(2.0), T.AbsTransform()]:
    xx = x.abs() + 0.1 if isinstance(t, T.PowerTransform) else x
    y = t(xx)
    print(type(t).__name__, y)
    if t.bijective:
        lad = t.log_abs_det_jacobian(xx, y)
        numeric(lad)
        g, = torch.autograd.grad(lad.sum(), x)
        numeric(g)
        numeric(t.inv(y))
# %%
inv_sig = T.SigmoidTransform().inv
print(inv_sig, inv_sig.inv)
print(inv_sig(torch.tensor([0.25, 0.5])))
stick = T.StickBreakingTransform()
y = stick(torch.tensor([0.0, 1.0, -1.0]))
print(y, y.sum())
print(stick.log_abs_det_jacobian(torch.tensor([0.0, 1.0, -1.0]), y))
print(stick.inv(y))
sm = T.SoftmaxTransform()
print(sm(torch.tensor([1.0, 2.0, 3.0])))
cat = T.CatTransform([T.ExpTransform(), T.AffineTransform(0.0, 3.0)], dim=0, lengths=[2, 2])
print(cat(torch.tensor([0.0, 1.0, 1.0, 2.0])))
st = T.StackTransform([T.ExpTransform(), T.SigmoidTransform()], dim=0)
print(st(torch.zeros(2, 2)))
rs = T.ReshapeTransform((4,), (2, 2))
print(rs(torch.arange(4.0)))
ind = T.IndependentTransform(T.ExpTransform(), 1)
print(ind.log_abs_det_jacobian(torch.zeros(2, 3), torch.ones(2, 3)))
# %%
u = TransformedDistribution(Uniform(0.0, 1.0), [T.SigmoidTransform().inv])  # logistic
print(u.log_prob(torch.tensor([0.0, 1.0])))
print(u.sample((3,)))
ln = LogNormal(0.0, 0.5)
tn = TransformedDistribution(Normal(0.0, 0.5), T.ExpTransform())
v = torch.tensor([0.5, 1.0, 2.0])
print(ln.log_prob(v), tn.log_prob(v))
print(ln.mean, ln.variance)
print(ln.cdf(v), tn.cdf(v))
print(tn.icdf(torch.tensor([0.1, 0.9])))
# %%
T.ExpTransform().inv(torch.tensor([-1.0]))
TransformedDistribution(Normal(0.0, 1.0), T.ExpTransform()).log_prob(torch.tensor([-1.0]))
