import torch

# 1D linear elements, global stiffness assembled with scatter_add on flat indices
ne = 8
nodes = torch.linspace(0, 1, ne + 1, dtype=torch.float64)
conn = torch.stack([torch.arange(ne), torch.arange(1, ne + 1)], dim=1)
print(conn.T)

def assemble(E):
    le = nodes[conn[:, 1]] - nodes[conn[:, 0]]
    k = (E / le)[:, None, None] * torch.tensor([[1.0, -1.0], [-1.0, 1.0]], dtype=torch.float64)
    rows = conn[:, :, None].expand(ne, 2, 2)
    cols = conn[:, None, :].expand(ne, 2, 2)
    flat = (rows * (ne + 1) + cols).reshape(-1)
    K = torch.zeros((ne + 1) ** 2, dtype=torch.float64).scatter_add(0, flat, k.reshape(-1))
    return K.view(ne + 1, ne + 1)

E = torch.linspace(1.0, 2.0, ne, dtype=torch.float64).requires_grad_()
K = assemble(E)
print(K[:3, :3])
print(K.sum().item(), torch.allclose(K, K.T))
# %%
f = torch.zeros(ne + 1, dtype=torch.float64)
f[-1] = 1.0
Kr = K[1:, 1:]
u = torch.linalg.solve(Kr, f[1:])
compliance = f[1:] @ u
compliance.backward()
print(u)
print(f"compliance {compliance.item():.8f}")
print("dC/dE", E.grad.round(decimals=5))
print("analytic", torch.allclose(E.grad, -(1.0 / ne) / E.detach() ** 2))
# %%
# same thing with index_put_(accumulate=True) and a sparse-looking COO
E2 = E.detach().clone().requires_grad_()
le = nodes[conn[:, 1]] - nodes[conn[:, 0]]
ke = E2 / le
K2 = torch.zeros(ne + 1, ne + 1, dtype=torch.float64)
K2 = K2.index_put((conn[:, 0], conn[:, 0]), ke, accumulate=True)
K2 = K2.index_put((conn[:, 1], conn[:, 1]), ke, accumulate=True)
K2 = K2.index_put((conn[:, 0], conn[:, 1]), -ke, accumulate=True)
K2 = K2.index_put((conn[:, 1], conn[:, 0]), -ke, accumulate=True)
print(torch.equal(K2.detach(), K.detach()), K2.grad_fn.name())
torch.linalg.slogdet(K2[1:, 1:]).logabsdet.backward()
print(E2.grad)
