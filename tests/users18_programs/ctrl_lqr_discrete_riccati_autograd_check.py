import torch

torch.set_default_dtype(torch.float64)
A = torch.tensor([[1.0, 0.1], [0.0, 1.0]])
B = torch.tensor([[0.005], [0.1]])
Q = torch.diag(torch.tensor([1.0, 0.1]))
R = torch.tensor([[0.01]])

P = Q.clone()
for i in range(500):
    K = torch.linalg.solve(R + B.T @ P @ B, B.T @ P @ A)
    P = Q + A.T @ P @ (A - B @ K)
print("K", K)
print("P", P)
print(torch.linalg.svdvals(A - B @ K))
# %%
# the same gain by gradient descent on the finite-horizon closed-loop cost
Kp = torch.zeros(1, 2, requires_grad=True)
x0s = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]])
opt = torch.optim.Adam([Kp], lr=0.5)
def cost(Kp):
    x = x0s
    c = 0.0
    for t in range(100):
        u = -x @ Kp.T
        c = c + (x @ Q * x).sum() + (u @ R * u).sum()
        x = x @ A.T + u @ B.T
    return c
for it in range(80):
    opt.zero_grad()
    c = cost(Kp)
    c.backward()
    opt.step()
    if it % 20 == 0:
        print(it, f"{c.item():.4f}")
print(Kp.detach().round(decimals=2), K.round(decimals=2))
# %%
print(torch.linalg.matrix_norm(Kp.detach() - K).item() < 0.5)
Am = A.clone().requires_grad_(True)
P = Q.clone()
for i in range(50):
    K = torch.linalg.solve(R + B.T @ P @ B, B.T @ P @ Am)
    P = Q + Am.T @ P @ (Am - B @ K)
torch.trace(P).backward()
print(Am.grad)
