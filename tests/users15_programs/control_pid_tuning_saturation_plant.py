import torch

torch.set_default_dtype(torch.float64)
# tune PID gains by gradient descent through a simulated first-order-plus-integrator plant
dt, T = 0.05, 120
def simulate(gains, setpoint=1.0, u_max=2.0, disturbance=0.0):
    kp, ki, kd = gains
    y = torch.zeros(())
    v = torch.zeros(())
    integ = torch.zeros(())
    prev_err = torch.tensor(setpoint)
    ys, us = [], []
    for t in range(T):
        err = setpoint - y
        integ = integ + err * dt
        deriv = (err - prev_err) / dt
        u = torch.clamp(kp * err + ki * integ + kd * deriv, -u_max, u_max)
        prev_err = err
        v = v + dt * (-0.5 * v + u + (disturbance if t > 60 else 0.0))
        y = y + dt * v
        ys.append(y)
        us.append(u)
    return torch.stack(ys), torch.stack(us)

gains = torch.tensor([1.0, 0.1, 0.1], requires_grad=True)
opt = torch.optim.Adam([gains], lr=0.05)
for it in range(25):
    ys, us = simulate(gains)
    itae = (torch.arange(T) * dt * (1.0 - ys).abs()).sum() * dt
    effort = 1e-3 * (us ** 2).sum()
    loss = itae + effort
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        gains.clamp_(min=0.0)
    if it % 6 == 0:
        print(it, f"{loss.item():.5f}", [f"{g:.4f}" for g in gains.grad.tolist()])
print([round(g, 4) for g in gains.detach().tolist()])
ys, us = simulate(gains.detach())
print(f"overshoot {(ys.max() - 1).item():.4f} final {ys[-1].item():.4f} saturated {(us.abs() >= 2.0).sum().item()}")
# %%
# disturbance rejection: gradient of the final error w.r.t. each gain
g = gains.detach().clone().requires_grad_()
ys, _ = simulate(g, disturbance=-0.5)
err = (ys[-20:] - 1.0).pow(2).mean()
err.backward()
print(f"{err.item():.6f}", g.grad)
# jacobian of the step response samples w.r.t. the gains
J = torch.autograd.functional.jacobian(lambda gg: simulate(gg)[0][::30], gains.detach())
print(J.shape)
print(J)
