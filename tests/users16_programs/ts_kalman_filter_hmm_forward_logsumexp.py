import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
T = 20
true_x = torch.cumsum(0.3 * torch.randn(T), 0)
obs = true_x + 0.5 * torch.randn(T)
log_q = torch.tensor(-1.0, requires_grad=True)
log_r = torch.tensor(0.0, requires_grad=True)

def kalman_nll(obs):
    m, P = torch.tensor(0.0), torch.tensor(1.0)
    q, r = log_q.exp(), log_r.exp()
    nll = 0.0
    means = []
    for y in obs:
        P = P + q
        S = P + r
        nll = nll + 0.5 * (torch.log(2 * torch.pi * S) + (y - m) ** 2 / S)
        K = P / S
        m = m + K * (y - m)
        P = (1 - K) * P
        means.append(m)
    return nll, torch.stack(means)

nll, means = kalman_nll(obs)
nll.backward()
print(f"{nll.item():.8f}", log_q.grad, log_r.grad)
print(means[:5])
print(type(nll).__name__, nll.grad_fn.name())
# %%
opt = torch.optim.LBFGS([log_q, log_r], lr=0.5, max_iter=10)
def closure():
    opt.zero_grad()
    l, _ = kalman_nll(obs)
    l.backward()
    return l
for i in range(2):
    l = opt.step(closure)
    print(i, f"{l.item():.6f}", f"{log_q.exp().item():.5f}", f"{log_r.exp().item():.5f}")
# %%
K, V = 3, 4
log_pi = torch.log_softmax(torch.randn(K), 0).requires_grad_()
log_A = torch.log_softmax(torch.randn(K, K), 1).requires_grad_()
log_B = torch.log_softmax(torch.randn(K, V), 1).requires_grad_()
seq = torch.tensor([0, 3, 1, 1, 2, 0])
alpha = log_pi + log_B[:, seq[0]]
for o in seq[1:]:
    alpha = torch.logsumexp(alpha.unsqueeze(1) + log_A, dim=0) + log_B[:, o]
loglik = torch.logsumexp(alpha, 0)
loglik.backward()
print(f"{loglik.item():.8f}")
print(log_pi.grad.exp() if False else log_pi.grad)
print(log_A.grad.sum(), log_B.grad[:, 1])
# %%
delta = log_pi.detach() + log_B.detach()[:, seq[0]]
back = []
for o in seq[1:]:
    scores = delta.unsqueeze(1) + log_A.detach()
    best, arg = scores.max(0)
    back.append(arg)
    delta = best + log_B.detach()[:, o]
path = [delta.argmax().item()]
for arg in reversed(back):
    path.append(arg[path[-1]].item())
print(path[::-1], f"{delta.max().item():.6f}")
print(torch.stack(back))
