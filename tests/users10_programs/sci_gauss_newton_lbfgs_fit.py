import torch

torch.manual_seed(0)
t = torch.linspace(0, 4, 25, dtype=torch.float64)
true = torch.tensor([2.0, 0.7, 0.3], dtype=torch.float64)
model = lambda th, t: th[0] * torch.exp(-th[1] * t) + th[2]
y = model(true, t) + 0.01 * torch.randn(25, dtype=torch.float64)
theta = torch.tensor([1.0, 1.0, 0.0], dtype=torch.float64)
for it in range(8):
    r = model(theta, t) - y
    J = torch.autograd.functional.jacobian(lambda th: model(th, t) - y, theta)
    step = torch.linalg.solve(J.T @ J, J.T @ r)
    theta = theta - step
    print(it, f"{r.pow(2).sum().item():.6e}")
numeric(theta)
# %%
sol = torch.linalg.lstsq(J, r.unsqueeze(-1))
print(sol.solution.shape, sol.residuals, sol.rank, sol.singular_values)
theta_lm = torch.tensor([1.0, 1.0, 0.0], dtype=torch.float64)
lam = 1e-2
for it in range(10):
    r = model(theta_lm, t) - y
    J = torch.func.jacrev(lambda th: model(th, t) - y)(theta_lm)
    A = J.T @ J + lam * torch.eye(3, dtype=torch.float64)
    theta_lm = theta_lm - torch.linalg.solve(A, J.T @ r)
numeric(theta_lm)
# %%
p = torch.tensor([1.0, 1.0, 0.0], dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([p], lr=1, max_iter=50, history_size=10, line_search_fn="strong_wolfe")
def closure():
    opt.zero_grad()
    loss = (model(p, t) - y).pow(2).sum()
    loss.backward()
    return loss
for _ in range(3):
    l = opt.step(closure)
numeric(p)
numeric(l)
print(opt.state[p]['n_iter'] > 0, opt.state[p]['func_evals'] > 0)
print(type(opt.state[p]['old_dirs']), len(opt.state[p]['old_dirs']) <= 10)
