import torch

def f(state, params):
    theta, omega = state[..., 0], state[..., 1]
    g_over_l, damping = params[0], params[1]
    return torch.stack([omega, -g_over_l * torch.sin(theta) - damping * omega], dim=-1)

def rk4(state, params, dt, n):
    out = [state]
    for _ in range(n):
        k1 = f(state, params)
        k2 = f(state + 0.5 * dt * k1, params)
        k3 = f(state + 0.5 * dt * k2, params)
        k4 = f(state + dt * k3, params)
        state = state + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        out.append(state)
    return torch.stack(out)

true_params = torch.tensor([9.81, 0.3], dtype=torch.float64)
s0 = torch.tensor([1.0, 0.0], dtype=torch.float64)
obs = rk4(s0, true_params, 0.05, 60)[:, 0]
g = torch.Generator().manual_seed(0)
obs_noisy = obs + 0.01 * torch.randn(obs.shape, generator=g, dtype=torch.float64)
print(obs_noisy[:5])
# %%
params = torch.tensor([5.0, 0.1], dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([params], lr=1.0, max_iter=40, history_size=10, line_search_fn="strong_wolfe")
def closure():
    opt.zero_grad()
    pred = rk4(s0, params, 0.05, 60)[:, 0]
    loss = ((pred - obs_noisy) ** 2).mean()
    loss.backward()
    return loss
for outer in range(3):
    l = opt.step(closure)
    print(outer, f"{l.item():.6e}", params.detach().round(decimals=3))
# %%
# sensitivity matrix d(trajectory)/d(params) and the Gauss-Newton covariance
J = torch.autograd.functional.jacobian(lambda p: rk4(s0, p, 0.05, 60)[:, 0], params.detach())
print(J.shape)
res = (rk4(s0, params.detach(), 0.05, 60)[:, 0] - obs_noisy)
sigma2 = (res ** 2).sum() / (res.numel() - 2)
cov = sigma2 * torch.linalg.inv(J.T @ J)
print(cov.diagonal().sqrt().round(decimals=4))
