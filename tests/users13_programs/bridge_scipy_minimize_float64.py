import numpy as np
import torch
from scipy.optimize import minimize

torch.set_default_dtype(torch.float64)
print(torch.get_default_dtype(), torch.tensor(1.0).dtype, torch.tensor(1).dtype, torch.arange(3.0).dtype)

def rosen(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()

def fun_and_grad(x_np):
    x = torch.from_numpy(x_np).requires_grad_(True)
    loss = rosen(x)
    loss.backward()
    return loss.item(), x.grad.numpy()

x0 = np.array([-1.2, 1.0, 0.5, -0.3])
res = minimize(fun_and_grad, x0, jac=True, method='L-BFGS-B', options={'maxiter': 200})
print(res.success, res.nit > 5, np.round(res.x, 5))
print(f"{res.fun:.3e}" if res.fun > 1e-20 else "tiny")
# %%
# hessian-vector products for Newton-CG from double backward
def hessp(x_np, p_np):
    x = torch.as_tensor(x_np).requires_grad_(True)
    g, = torch.autograd.grad(rosen(x), x, create_graph=True)
    hv, = torch.autograd.grad(g @ torch.as_tensor(p_np), x)
    return hv.detach().numpy()

def fun(x_np):
    return rosen(torch.as_tensor(x_np)).item()

def jac(x_np):
    x = torch.tensor(x_np, requires_grad=True)
    return torch.autograd.grad(rosen(x), x)[0].numpy()

res2 = minimize(fun, x0, jac=jac, hessp=hessp, method='Newton-CG', options={'xtol': 1e-10})
print(res2.success, np.round(res2.x, 6))
print(hessp(np.ones(4), np.array([1.0, 0.0, 0.0, 0.0])))
# %%
# the numpy round trip: from_numpy shares memory, as_tensor too, torch.tensor copies
a = np.arange(4.0)
t1, t2, t3 = torch.from_numpy(a), torch.as_tensor(a), torch.tensor(a)
a[0] = 100.0
print(t1, t2, t3)
t1.add_(1)
print(a)
print(t1.numpy() is a, np.shares_memory(t1.numpy(), a))
f32 = np.linspace(0, 1, 3, dtype=np.float32)
print(torch.from_numpy(f32).dtype, torch.as_tensor(f32, dtype=torch.float64).dtype, torch.tensor(f32).dtype)
print(torch.as_tensor([1, 2, 3]).dtype, torch.as_tensor(np.int32(7)).dtype, torch.as_tensor(3.5).dtype)
w = torch.ones(2, requires_grad=True)
print(w.detach().numpy(), (w * 2).detach().cpu().numpy().dtype)
# %%
w.numpy()
# %%
# curve fit: LBFGS with strong Wolfe on float64 data, compare with scipy's least_squares result
from scipy.optimize import least_squares
torch.manual_seed(0)
tt = torch.linspace(0, 4, 40)
y = 2.5 * torch.exp(-1.3 * tt) + 0.5 + 0.01 * torch.randn(40)
params = torch.tensor([1.0, 1.0, 0.0], requires_grad=True)
opt = torch.optim.LBFGS([params], lr=1, max_iter=100, line_search_fn='strong_wolfe', tolerance_grad=1e-12,
                        tolerance_change=1e-14)
def closure():
    opt.zero_grad()
    pred = params[0] * torch.exp(-params[1] * tt) + params[2]
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    return loss
for _ in range(3):
    loss = opt.step(closure)
sp = least_squares(lambda p: p[0] * np.exp(-p[1] * tt.numpy()) + p[2] - y.numpy(), [1.0, 1.0, 0.0])
print(np.allclose(params.detach().numpy(), sp.x, atol=1e-5), params.detach().numpy().round(4))
print(f"{loss.item():.6e}")
