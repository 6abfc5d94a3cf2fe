import torch
import torch.nn as nn

torch.manual_seed(0)
centers_true = torch.tensor([[0.0, 0.0], [3.0, 3.0], [-3.0, 2.0]])
X = torch.cat([c + 0.4 * torch.randn(30, 2) for c in centers_true])
# k-means with cdist / argmin / index_add
k = 3
C = X[torch.randperm(X.size(0))[:k]].clone()
for it in range(20):
    assign = torch.cdist(X, C).argmin(dim=1)
    sums = torch.zeros(k, 2).index_add_(0, assign, X)
    counts = torch.bincount(assign, minlength=k).unsqueeze(1)
    newC = sums / counts.clamp_min(1)
    shift = (newC - C).norm()
    C = newC
    if shift < 1e-6:
        break
print(it, C[C[:, 0].argsort()])
inertia = ((X - C[assign]) ** 2).sum()
print(f"{inertia.item():.4f}", torch.bincount(assign))
# soft k-means (differentiable): gradient of the objective wrt centers
Cs = C.double().requires_grad_()
d2 = torch.cdist(X.double(), Cs) ** 2
resp = torch.softmax(-d2, dim=1)
obj = (resp * d2).sum()
obj.backward()
numeric(Cs.grad)
print(resp.sum(1)[:3], resp.argmax(1)[:5])
# %%
# matrix factorisation for ratings with embeddings and weight decay
torch.manual_seed(1)
n_users, n_items, dim = 6, 5, 3
users = torch.randint(0, n_users, (40,))
items = torch.randint(0, n_items, (40,))
ratings = torch.randint(1, 6, (40,)).float()

class MF(nn.Module):
    def __init__(self):
        super().__init__()
        self.U = nn.Embedding(n_users, dim)
        self.V = nn.Embedding(n_items, dim)
        self.ub = nn.Embedding(n_users, 1)
        self.ib = nn.Embedding(n_items, 1)
        nn.init.normal_(self.U.weight, std=0.1)
        nn.init.normal_(self.V.weight, std=0.1)
        nn.init.zeros_(self.ub.weight)
        nn.init.zeros_(self.ib.weight)
        self.mu = nn.Parameter(torch.tensor(3.0))

    def forward(self, u, i):
        return (self.U(u) * self.V(i)).sum(1) + self.ub(u).squeeze(1) + self.ib(i).squeeze(1) + self.mu

mf = MF()
opt = torch.optim.SGD(mf.parameters(), lr=0.05, weight_decay=1e-3)
for ep in range(60):
    opt.zero_grad()
    loss = nn.functional.mse_loss(mf(users, items), ratings)
    loss.backward()
    opt.step()
    if ep % 15 == 0:
        print(ep, f"{loss.item():.4f}")
numeric(mf.U.weight)
print(mf(torch.tensor([0, 1]), torch.tensor([2, 3])).shape, mf.mu)
