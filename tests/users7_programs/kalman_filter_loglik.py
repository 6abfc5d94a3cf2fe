import torch
import math
torch.manual_seed(0)
T = 30
F = torch.tensor([[1.0, 1.0], [0.0, 1.0]], dtype=torch.float64)
H = torch.tensor([[1.0, 0.0]], dtype=torch.float64)
true_q, true_r = 0.05, 0.5
xs, ys = [], []
x = torch.zeros(2, dtype=torch.float64)
for t in range(T):
    x = F @ x + math.sqrt(true_q) * torch.randn(2, dtype=torch.float64)
    xs.append(x)
    ys.append(H @ x + math.sqrt(true_r) * torch.randn(1, dtype=torch.float64))
ys = torch.stack(ys)
print(ys.shape, ys[:3].squeeze())

def kalman_nll(log_q, log_r):
    Q = torch.eye(2, dtype=torch.float64) * log_q.exp()
    R = torch.eye(1, dtype=torch.float64) * log_r.exp()
    m = torch.zeros(2, dtype=torch.float64)
    P = torch.eye(2, dtype=torch.float64)
    nll = torch.zeros((), dtype=torch.float64)
    for t in range(T):
        m = F @ m
        P = F @ P @ F.T + Q
        S = H @ P @ H.T + R
        v = ys[t] - H @ m
        K = P @ H.T @ torch.linalg.inv(S)
        m = m + K @ v
        P = (torch.eye(2, dtype=torch.float64) - K @ H) @ P
        nll = nll + 0.5 * (torch.logdet(2 * math.pi * S) + v @ torch.linalg.solve(S, v))
    return nll

log_q = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
log_r = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
nll = kalman_nll(log_q, log_r)
nll.backward()
print(f"{nll.item():.10f} {log_q.grad.item():.10f} {log_r.grad.item():.10f}")
# %%
opt = torch.optim.LBFGS([log_q, log_r], lr=0.5, max_iter=30, line_search_fn="strong_wolfe")
def closure():
    opt.zero_grad()
    l = kalman_nll(log_q, log_r)
    l.backward()
    return l
opt.step(closure)
print(round(log_q.exp().item(), 4), round(log_r.exp().item(), 4))
print(round(kalman_nll(log_q, log_r).item(), 6))
