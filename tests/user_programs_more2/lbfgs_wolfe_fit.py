# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
torch.manual_seed(0)
# fit a damped oscillator to noisy data with LBFGS + strong Wolfe line search
t = torch.linspace(0, 6, 60)
y = 1.5 * torch.exp(-0.3 * t) * torch.cos(2.1 * t + 0.4) + 0.05 * torch.randn(60)
params = torch.tensor([1.0, 0.1, 2.0, 0.0], requires_grad=True)
opt = torch.optim.LBFGS([params], lr=1, max_iter=50, history_size=10, line_search_fn="strong_wolfe")
def model(p):
    A, gamma, w, phi = p
    return A * torch.exp(-gamma * t) * torch.cos(w * t + phi)
calls = []
def closure():
    opt.zero_grad()
    loss = ((model(params) - y) ** 2).mean()
    loss.backward()
    calls.append(loss.item())
    return loss
for outer in range(3):
    loss = opt.step(closure)
    print(outer, f"{loss.item():.6f}")
print(params.detach())
print(len(calls) > 3, opt.state[params]["n_iter"] > 0)
print(sorted(opt.state[params].keys()))
numeric(params)
# %%
# float64 Rosenbrock with LBFGS: converges to (1, 1)
x = torch.tensor([-1.2, 1.0], dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([x], line_search_fn="strong_wolfe", tolerance_grad=1e-12, tolerance_change=1e-14, max_iter=200)
def closure():
    opt.zero_grad()
    f = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
    f.backward()
    return f
opt.step(closure)
print(x)
print(opt.state[x]["func_evals"] > 10)
numeric(x)
