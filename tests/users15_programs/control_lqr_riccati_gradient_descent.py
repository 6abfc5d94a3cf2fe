import torch

torch.set_default_dtype(torch.float64)
# double integrator, discrete time
dt = 0.1
A = torch.tensor([[1.0, dt], [0.0, 1.0]])
B = torch.tensor([[0.5 * dt ** 2], [dt]])
Q = torch.diag(torch.tensor([1.0, 0.1]))
R = torch.tensor([[0.01]])
# Riccati iteration
P = Q.clone()
for _ in range(300):
    K = torch.linalg.solve(R + B.T @ P @ B, B.T @ P @ A)
    P = Q + A.T @ P @ (A - B @ K)
print("K riccati", K)
print("P", P)
# %%
# learn the gain by gradient descent on a finite-horizon rollout cost
K_learn = torch.zeros(1, 2, requires_grad=True)
x0s = torch.tensor([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.5]])
opt = torch.optim.Adam([K_learn], lr=0.5)
for it in range(80):
    x = x0s
    cost = 0.0
    for t in range(40):
        u = -x @ K_learn.T
        cost = cost + (x @ Q * x).sum() + (u @ R * u).sum()
        x = x @ A.T + u @ B.T
    opt.zero_grad()
    cost.backward()
    opt.step()
    if it % 20 == 0:
        print(it, f"{cost.item():.5f}", K_learn.grad)
print("K learned", K_learn.detach())
Acl = A - B @ K_learn.detach()
print("closed-loop", Acl, torch.linalg.matrix_norm(torch.linalg.matrix_power(Acl, 50)) < 1)
# %%
# sensitivity of the optimal cost to Q's diagonal through the Riccati fixed point
q = torch.tensor([1.0, 0.1], requires_grad=True)
P = torch.diag(q)
for _ in range(150):
    K = torch.linalg.solve(R + B.T @ P @ B, B.T @ P @ A)
    P = torch.diag(q) + A.T @ P @ (A - B @ K)
x0 = torch.tensor([1.0, 0.0])
J = x0 @ P @ x0
J.backward()
print(J.item(), q.grad)
print(P.grad_fn.name(), K.grad_fn.name())
