# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
torch.set_default_dtype(torch.float64)
torch.manual_seed(0)

# constant-velocity Kalman filter; gradient of the log-likelihood w.r.t. the noise scales
T = 25
true_x = torch.cumsum(torch.full((T,), 0.3), 0)
obs = true_x + 0.2 * torch.randn(T)
F = torch.tensor([[1.0, 1.0], [0.0, 1.0]])
Hm = torch.tensor([[1.0, 0.0]])

def kalman_loglik(log_q, log_r):
    Q = torch.exp(log_q) * torch.eye(2)
    R = torch.exp(log_r).reshape(1, 1)
    m = torch.zeros(2)
    P = torch.eye(2)
    ll = torch.zeros(())
    for t in range(T):
        m = F @ m
        P = F @ P @ F.T + Q
        S = Hm @ P @ Hm.T + R
        v = obs[t] - Hm @ m
        ll = ll + torch.distributions.Normal(torch.zeros(1), S.squeeze(0).sqrt()).log_prob(v).sum()
        K = P @ Hm.T @ torch.linalg.inv(S)
        m = m + (K @ v)
        P = (torch.eye(2) - K @ Hm) @ P
    return ll, m

lq = torch.tensor(-3.0, requires_grad=True)
lr = torch.tensor(-2.0, requires_grad=True)
ll, m = kalman_loglik(lq, lr)
ll.backward()
print(f"loglik {ll.item():.6f}")
print(lq.grad, lr.grad)
print(m)
numeric([ll, lq.grad, lr.grad])
# %%
# maximise with Adam, a few steps
opt = torch.optim.Adam([lq, lr], lr=0.1)
for i in range(15):
    opt.zero_grad()
    loss = -kalman_loglik(lq, lr)[0]
    loss.backward()
    opt.step()
print(f"{loss.item():.5f}", lq.item() < -3.0 or lq.item() > -3.0)
numeric([lq, lr])
