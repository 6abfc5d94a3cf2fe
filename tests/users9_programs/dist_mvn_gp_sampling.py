import torch
from torch.distributions import MultivariateNormal, kl_divergence

torch.manual_seed(0)
x = torch.linspace(0, 1, 5, dtype=torch.float64)
ls = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
K = torch.exp(-0.5 * (x[:, None] - x[None, :]) ** 2 / ls ** 2) + 1e-4 * torch.eye(5, dtype=torch.float64)
mvn = MultivariateNormal(torch.zeros(5, dtype=torch.float64), covariance_matrix=K)
y = torch.sin(3 * x)
lp = mvn.log_prob(y)
lp.backward()
print(lp, ls.grad)
print(mvn.scale_tril.shape, mvn.entropy())
f = mvn.rsample((2,))
print(f.shape)
mvn2 = MultivariateNormal(torch.ones(2), scale_tril=torch.tensor([[1.0, 0.0], [0.5, 2.0]]))
print(mvn2.covariance_matrix, mvn2.precision_matrix)
print(kl_divergence(mvn2, MultivariateNormal(torch.zeros(2), torch.eye(2))))
print(mvn2.variance, mvn2.batch_shape, mvn2.event_shape)
try:
    MultivariateNormal(torch.zeros(2), torch.tensor([[1.0, 2.0], [2.0, 1.0]]))
except ValueError as e:
    print(e)
