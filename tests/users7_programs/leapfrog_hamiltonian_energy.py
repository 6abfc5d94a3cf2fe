import torch

def potential(q):
    # double-well potential
    return ((q ** 2 - 1) ** 2).sum()

def grad_U(q):
    q = q.detach().requires_grad_(True)
    U = potential(q)
    g, = torch.autograd.grad(U, q)
    return g

def leapfrog(q, p, eps, L):
    p = p - 0.5 * eps * grad_U(q)
    for i in range(L):
        q = q + eps * p
        if i != L - 1:
            p = p - eps * grad_U(q)
    p = p - 0.5 * eps * grad_U(q)
    return q, -p

q0 = torch.tensor([0.5, -1.2, 0.1], dtype=torch.float64)
p0 = torch.tensor([0.3, 0.2, -0.4], dtype=torch.float64)
H0 = potential(q0) + 0.5 * (p0 ** 2).sum()
q1, p1 = leapfrog(q0, p0, 0.05, 20)
H1 = potential(q1) + 0.5 * (p1 ** 2).sum()
print(q1)
print(p1)
print(f"H0={H0.item():.8f} H1={H1.item():.8f} dH={abs(H1 - H0).item():.2e}")
# %%
# reversibility: run back
q2, p2 = leapfrog(q1, p1, 0.05, 20)
print(torch.allclose(q2, q0), torch.allclose(p2, p0))
print((q2 - q0).abs().max().item() < 1e-10)
# %%
# gradient of final energy wrt the initial momentum, through the integrator (create_graph)
def leapfrog_diff(q, p, eps, L):
    def gU(q):
        U = potential(q)
        g, = torch.autograd.grad(U, q, create_graph=True)
        return g
    p = p - 0.5 * eps * gU(q)
    for i in range(L):
        q = q + eps * p
        if i != L - 1:
            p = p - eps * gU(q)
    p = p - 0.5 * eps * gU(q)
    return q, p

q = q0.clone().requires_grad_(True)
p = p0.clone().requires_grad_(True)
qT, pT = leapfrog_diff(q, p, 0.1, 10)
print(qT.grad_fn is not None, pT.requires_grad)
obj = potential(qT)
obj.backward()
print(q.grad)
print(p.grad)
