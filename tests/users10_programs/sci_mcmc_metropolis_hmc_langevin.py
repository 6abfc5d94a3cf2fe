import torch
from torch.distributions import Normal, MultivariateNormal, Uniform

torch.manual_seed(0)
target = MultivariateNormal(torch.tensor([1.0, -1.0]), torch.tensor([[1.0, 0.8], [0.8, 1.0]]))
print(target)
x = torch.zeros(2)
accepted = 0
samples = []
prop = Normal(0.0, 0.5)
u = Uniform(0.0, 1.0)
for i in range(400):
    cand = x + prop.sample((2,))
    log_a = target.log_prob(cand) - target.log_prob(x)
    if torch.log(u.sample()) < log_a:
        x = cand
        accepted += 1
    samples.append(x)
S = torch.stack(samples[100:])
print(accepted, S.shape)
numeric(S.mean(0))
# %%
def U(q):
    return -target.log_prob(q)

def grad_U(q):
    q = q.detach().requires_grad_(True)
    return torch.autograd.grad(U(q), q)[0]

torch.manual_seed(1)
q = torch.zeros(2)
eps, L = 0.2, 10
acc = 0
chain = []
for it in range(100):
    p0 = torch.randn(2)
    qn, p = q.clone(), p0 - 0.5 * eps * grad_U(q)
    for l in range(L):
        qn = qn + eps * p
        if l != L - 1:
            p = p - eps * grad_U(qn)
    p = p - 0.5 * eps * grad_U(qn)
    H0 = U(q) + 0.5 * p0 @ p0
    H1 = U(qn) + 0.5 * p @ p
    if torch.rand(()) < torch.exp(H0 - H1):
        q = qn
        acc += 1
    chain.append(q)
print(acc)
numeric(torch.stack(chain).mean(0))
# %%
torch.manual_seed(2)
x = torch.zeros(2, requires_grad=True)
step = 0.05
traj = []
for i in range(200):
    lp = target.log_prob(x)
    g, = torch.autograd.grad(lp, x)
    with torch.no_grad():
        x += step * g + (2 * step) ** 0.5 * torch.randn(2)
    traj.append(x.detach().clone())
T = torch.stack(traj)
numeric(T[-1])
print(T.shape, x.requires_grad, x.is_leaf)
