import torch

def lotka(y, a, b, c, d):
    return torch.stack([a * y[0] - b * y[0] * y[1], c * y[0] * y[1] - d * y[1]])

def simulate(params, y0, n=40, h=0.1):
    a, b, c, d = params
    ys = [y0]
    y = y0
    for _ in range(n):
        k1 = lotka(y, a, b, c, d)
        k2 = lotka(y + 0.5 * h * k1, a, b, c, d)
        y = y + h * k2
        ys.append(y)
    return torch.stack(ys)

true = torch.tensor([1.0, 0.4, 0.3, 0.8])
y0 = torch.tensor([2.0, 1.0])
with torch.no_grad():
    obs = simulate(true, y0)
params = torch.tensor([0.8, 0.5, 0.2, 0.9], requires_grad=True)
opt = torch.optim.Adam([params], lr=0.02)
for ep in range(40):
    opt.zero_grad()
    pred = simulate(params, y0)
    loss = torch.nn.functional.mse_loss(pred, obs)
    loss.backward()
    opt.step()
    if ep % 10 == 0:
        print(ep, f"{loss.item():.5f}")
numeric(params)
print(pred.shape, pred.grad_fn)
# %%
y0p = torch.tensor([2.0, 1.0], requires_grad=True)
traj = simulate(true, y0p, n=10)
S = torch.autograd.functional.jacobian(lambda z: simulate(true, z, n=10)[-1], y0p.detach())
numeric(S)
traj[-1].sum().backward()
print(torch.allclose(y0p.grad, S.sum(0)))
