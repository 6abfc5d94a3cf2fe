import torch
import torch.nn.functional as F

torch.manual_seed(3)
n_users, n_items, dim = 6, 10, 4
user_emb = torch.nn.Embedding(n_users, dim)
item_emb = torch.nn.Embedding(n_items, dim)
item_bias = torch.nn.Embedding(n_items, 1)
torch.nn.init.normal_(user_emb.weight, std=0.1)
torch.nn.init.normal_(item_emb.weight, std=0.1)
torch.nn.init.zeros_(item_bias.weight)
interactions = torch.tensor([[0, 1], [0, 3], [1, 2], [2, 5], [3, 7], [4, 1], [5, 9], [1, 4]])
params = list(user_emb.parameters()) + list(item_emb.parameters()) + list(item_bias.parameters())
opt = torch.optim.Adam(params, lr=0.05)
g = torch.Generator().manual_seed(0)
for ep in range(6):
    u, pos = interactions[:, 0], interactions[:, 1]
    neg = torch.randint(0, n_items, (len(u),), generator=g)
    s_pos = (user_emb(u) * item_emb(pos)).sum(-1) + item_bias(pos).squeeze(-1)
    s_neg = (user_emb(u) * item_emb(neg)).sum(-1) + item_bias(neg).squeeze(-1)
    loss = -F.logsigmoid(s_pos - s_neg).mean() + 1e-3 * (user_emb(u).pow(2).sum() + item_emb(pos).pow(2).sum())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(ep, f"{loss.item():.6f}", neg.tolist())
# %%
print(item_emb.weight.grad[[0, 6, 8]].abs().sum(1) > 0)
print((item_bias.weight.grad != 0).squeeze().int())
scores = user_emb.weight @ item_emb.weight.T + item_bias.weight.T
top = scores.topk(3, dim=1)
print(top.indices)
print(type(top).__name__, top.values.shape)
# %%
emb = torch.nn.Embedding(5, 3, max_norm=1.0)
idx = torch.tensor([0, 2, 2])
out = emb(idx)
print(out.norm(dim=1) <= 1.0 + 1e-6, emb.weight[2].norm() <= 1.0 + 1e-6)
bag = torch.nn.EmbeddingBag(n_items, dim, mode="mean")
print(bag(torch.tensor([1, 2, 4, 5, 7]), torch.tensor([0, 2])).shape)
# %%
F.embedding(torch.tensor([10]), item_emb.weight)
# %%
user_emb(torch.tensor([1.0]))
