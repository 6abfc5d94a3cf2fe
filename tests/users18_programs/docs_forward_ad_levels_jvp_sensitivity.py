import torch
import torch.autograd.forward_ad as fwAD

# forward-mode sensitivities of an ODE solution to one parameter, level API used by hand
def simulate(k, steps=50, dt=0.02):
    x = torch.ones(())
    v = torch.zeros(())
    for _ in range(steps):
        a = -k * x - 0.1 * v
        v = v + dt * a
        x = x + dt * v
    return x

level = fwAD.enter_dual_level()
print("level", level)
k = fwAD.make_dual(torch.tensor(4.0), torch.tensor(1.0))
xT = simulate(k)
primal, tangent = fwAD.unpack_dual(xT)
print(f"{primal.item():.6f} {tangent.item():.6f}")
fwAD.exit_dual_level()
try:
    fwAD.exit_dual_level()
except RuntimeError as e:
    print(e)
# %%
kk = torch.tensor(4.0, requires_grad=True)
simulate(kk).backward()
print(f"reverse {kk.grad.item():.6f}")
eps = 1e-3
fd = (simulate(torch.tensor(4.0 + eps, dtype=torch.float64)) - simulate(torch.tensor(4.0 - eps, dtype=torch.float64))) / (2 * eps)
print(f"central difference {fd.item():.4f}")
# %%
with fwAD.dual_level():
    ks = fwAD.make_dual(torch.tensor([1.0, 4.0, 9.0]), torch.ones(3))
    out = simulate(ks)
    print(fwAD.unpack_dual(out).tangent)
    print(out.requires_grad, fwAD.unpack_dual(out).primal.shape)
    try:
        fwAD.exit_dual_level(level=5)
    except RuntimeError as e:
        print(e)
    try:
        fwAD.enter_dual_level()
    except RuntimeError as e:
        print(e)
print(fwAD.unpack_dual(out).tangent)
