import numpy as np
import torch
# the NumPy bridge: from_numpy / as_tensor share memory, torch.tensor copies
a = np.zeros(3)
shared, also_shared, copied = torch.from_numpy(a), torch.as_tensor(a), torch.tensor(a)
a[0] = 5.0
print(shared, also_shared, copied)
also_shared.mul_(2)
print(a, torch.as_tensor(a, dtype=torch.float32))
x = torch.ones(2)
x.numpy()[1] = 3.0
print(x, torch.as_tensor([1, 2]).dtype, torch.from_numpy(np.arange(3)).dtype)
# %%
# scipy.optimize with gradients from autograd (float64 round trip)
from scipy.optimize import minimize

def fun_and_grad(v):
    x = torch.tensor(v, requires_grad=True)
    f = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
    f.backward()
    return f.item(), x.grad.numpy()

res = minimize(fun_and_grad, np.array([-1.2, 1.0]), jac=True, method="BFGS")
print(res.success, np.round(res.x, 5), res.nit)
def hessp(v, p):
    x = torch.tensor(v)
    _, hv = torch.autograd.functional.hvp(lambda t: (1 - t[0]) ** 2 + 100 * (t[1] - t[0] ** 2) ** 2, x, torch.tensor(p))
    return hv.numpy()
res2 = minimize(fun_and_grad, np.array([-1.2, 1.0]), jac=True, hessp=hessp, method="trust-ncg")
print(res2.success, np.round(res2.x, 5), res2.nit)
