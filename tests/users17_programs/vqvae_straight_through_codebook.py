import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
class VectorQuantizer(nn.Module):
    def __init__(self, num_embeddings=6, embedding_dim=3, beta=0.25):
        super().__init__()
        self.embedding = nn.Embedding(num_embeddings, embedding_dim)
        self.embedding.weight.data.uniform_(-1 / num_embeddings, 1 / num_embeddings)
        self.beta = beta
    def forward(self, z):
        z_flat = z.view(-1, z.shape[-1])
        d = (z_flat ** 2).sum(dim=1, keepdim=True) + (self.embedding.weight ** 2).sum(dim=1) \
            - 2 * torch.matmul(z_flat, self.embedding.weight.t())
        idx = torch.argmin(d, dim=1)
        z_q = self.embedding(idx).view(z.shape)
        loss = F.mse_loss(z_q.detach(), z) * self.beta + F.mse_loss(z_q, z.detach())
        z_q = z + (z_q - z).detach()
        return z_q, loss, idx

vq = VectorQuantizer()
z = torch.randn(2, 4, 3, requires_grad=True)
z_q, loss, idx = vq(z)
print(idx, idx.dtype, z_q.grad_fn, loss)
# %%
(z_q.sum() + loss).backward()
print(z.grad)
print(vq.embedding.weight.grad)
print(torch.bincount(idx, minlength=6))
# %%
e_mean = F.one_hot(idx, 6).float().mean(0)
perplexity = torch.exp(-torch.sum(e_mean * torch.log(e_mean + 1e-10)))
print(e_mean, perplexity)
d2 = torch.cdist(z.detach().view(-1, 3), vq.embedding.weight.detach())
print(torch.equal(d2.argmin(1), idx), d2.shape)
# %%
opt = torch.optim.Adam(list(vq.parameters()) + [z], lr=0.05)
for step in range(15):
    opt.zero_grad()
    z_q, loss, idx = vq(z)
    total = F.mse_loss(z_q, torch.ones_like(z_q)) + loss
    total.backward()
    opt.step()
    if step % 5 == 0:
        print(step, f"{total.item():.5f}", idx.tolist())
print(vq.embedding.weight)
# %%
x = torch.linspace(-2, 2, 9, requires_grad=True)
y = x + (torch.round(x) - x).detach()
y.pow(2).sum().backward()
print(y, x.grad)
x.grad = None
torch.round(x).sum().backward()
print(x.grad, torch.round(x).grad_fn, torch.sign(x).grad_fn)
