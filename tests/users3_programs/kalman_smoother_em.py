# ruff: noqa: F821
import torch
torch.manual_seed(46)
torch.set_default_dtype(torch.float64)

# a 1-D random-walk Kalman filter + RTS smoother, vectorised over 3 independent series with torch ops
T, B = 30, 3
x_true = torch.cumsum(0.3 * torch.randn(T, B), 0)
y = x_true + 0.5 * torch.randn(T, B)
q = torch.tensor(0.1, requires_grad=True)
r = torch.tensor(0.2, requires_grad=True)

def filt(q, r):
    m, P = torch.zeros(B), torch.ones(B)
    ms, Ps, mp, Pp = [], [], [], []
    ll = 0
    for t in range(T):
        m_pred, P_pred = m, P + q
        S = P_pred + r
        K = P_pred / S
        ll = ll - 0.5 * (torch.log(2 * torch.pi * S) + (y[t] - m_pred) ** 2 / S).sum()
        m = m_pred + K * (y[t] - m_pred)
        P = (1 - K) * P_pred
        ms.append(m); Ps.append(P); mp.append(m_pred); Pp.append(P_pred)
    return torch.stack(ms), torch.stack(Ps), torch.stack(mp), torch.stack(Pp), ll

ms, Ps, mp, Pp, ll = filt(q, r)
ll.backward()
print(f"loglik {ll.item():.6f}", q.grad, r.grad)
sm = [ms[-1]]
for t in range(T - 2, -1, -1):
    G = Ps[t] / Pp[t + 1]
    sm.insert(0, ms[t] + G * (sm[0] - mp[t + 1]))
sm = torch.stack(sm)
print(sm.shape, ((sm - x_true) ** 2).mean() < ((ms - x_true) ** 2).mean())
numeric([ll, q.grad, r.grad, sm])
