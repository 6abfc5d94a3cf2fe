import torch

def assemble(k_elems, n_nodes):
    K = torch.zeros(n_nodes, n_nodes, dtype=k_elems.dtype)
    for e, k in enumerate(k_elems):
        ke = k * torch.tensor([[1.0, -1.0], [-1.0, 1.0]], dtype=k_elems.dtype)
        idx = torch.tensor([e, e + 1])
        K[idx.unsqueeze(1), idx] += ke
    return K

k = torch.tensor([1.0, 2.0, 1.5, 0.5], dtype=torch.float64, requires_grad=True)
K = assemble(k, 5)
print(K)
Kf = K[1:, 1:]
f = torch.tensor([0.0, 0.0, 0.0, 1.0], dtype=torch.float64)
u = torch.linalg.solve(Kf, f)
print(u)
tip = u[-1]
tip.backward()
numeric(k.grad)
print(torch.allclose(k.grad, -1 / k.detach() ** 2))
# %%
k2 = k.detach().clone().requires_grad_()
opt = torch.optim.Adam([k2], lr=0.05)
target = torch.tensor(2.5, dtype=torch.float64)
for i in range(30):
    opt.zero_grad()
    u = torch.linalg.solve(assemble(k2, 5)[1:, 1:], f)
    loss = (u[-1] - target) ** 2 + 0.01 * k2.pow(2).sum()
    loss.backward()
    opt.step()
print(f"{loss.item():.6f}")
numeric(k2)
# %%
n = 6
x = torch.linspace(0, 1, n + 2, dtype=torch.float64)[1:-1]
h = 1.0 / (n + 1)
L = (torch.diag(-2 * torch.ones(n)) + torch.diag(torch.ones(n - 1), 1) + torch.diag(torch.ones(n - 1), -1)).double() / h ** 2
src = torch.sin(torch.pi * x)
u = torch.linalg.solve(-L, src)
print(torch.allclose(u, src / torch.pi ** 2, atol=1e-2), u.max())
w, V = torch.linalg.eigh(-L)
print(w[:3])
numeric(V.abs()[:, 0])
