import numpy as np
import torch
rng = np.random.default_rng(3)
t = torch.linspace(0, 2, 25, dtype=torch.float64)
data = 2.5 * torch.exp(-1.3 * t) + 0.3 + torch.tensor(rng.normal(scale=0.01, size=25))
params = torch.tensor([1.0, 1.0, 0.0], dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([params], lr=1, max_iter=20, history_size=10, line_search_fn="strong_wolfe")
calls = []
def closure():
    opt.zero_grad()
    a, k, c = params
    loss = ((a * torch.exp(-k * t) + c - data) ** 2).sum()
    loss.backward()
    calls.append(loss.item())
    return loss
for i in range(3):
    loss = opt.step(closure)
    print(i, f"{loss.item():.6e}", params.detach().numpy().round(4))
print(len(calls) > 3, sorted(opt.state[params].keys()))
print(f"{params[0].item():.4f} {params[1].item():.4f} {params[2].item():.4f}")
# %%
# plain LBFGS (no line search) on Rosenbrock (float64, 6 digits printed: torch's
# BLAS dot rounds its products differently from NumPy's, Rosenbrock amplifies the
# last bit; float32 gradients also round once in jitgrad, per op in torch)
x = torch.tensor([-1.5, 2.0], dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([x], lr=0.5, max_iter=10)
def rosen():
    opt.zero_grad()
    f = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
    f.backward()
    return f
for step in range(4):
    f = opt.step(rosen)
    print(step, round(f.item(), 6), [round(v, 6) for v in x.detach().tolist()])
print(opt.state[x]["func_evals"], opt.state[x]["n_iter"])
# %%
# forgetting the closure
opt.step()
