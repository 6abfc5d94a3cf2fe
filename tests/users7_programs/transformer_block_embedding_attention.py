import torch
from torch import nn
torch.manual_seed(0)

class Block(nn.Module):
    def __init__(self, vocab=20, d=16, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.zeros(1, 8, d))
        self.ln1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 32), nn.GELU(), nn.Linear(32, d))
        self.out = nn.Linear(d, vocab)

    def forward(self, idx, mask=None):
        x = self.emb(idx) + self.pos[:, : idx.shape[1]]
        h = self.ln1(x)
        a, w = self.attn(h, h, h, attn_mask=mask)
        x = x + a
        x = x + self.ff(self.ln2(x))
        return self.out(x), w

model = Block()
idx = torch.randint(0, 20, (4, 8))
mask = torch.triu(torch.ones(8, 8, dtype=torch.bool), diagonal=1)
logits, w = model(idx, mask)
print(logits.shape, w.shape)
print(w[0, 1].round(decimals=4))
print(w.sum(-1).round(decimals=4)[0])
# %%
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
for step in range(10):
    opt.zero_grad()
    logits, _ = model(idx[:, :-1], mask[:-1, :-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, 20), idx[:, 1:].reshape(-1))
    loss.backward()
    gn = nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if step % 3 == 0:
        print(step, f"{loss.item():.4f}", f"{gn.item():.4f}", f"{sched.get_last_lr()[0]:.6f}")
# %%
print(model.emb.weight.grad.shape, model.attn.in_proj_weight.shape, model.attn.out_proj)
e = nn.Embedding(5, 3, padding_idx=0)
out = e(torch.tensor([[0, 1, 0], [2, 0, 4]]))
out.sum().backward()
print(e.weight.grad)
print(e.weight[0])
ln = nn.LayerNorm([2, 3], elementwise_affine=False)
print(ln(torch.arange(12.0).reshape(2, 2, 3))[0])
print(ln)
# %%
mha = nn.MultiheadAttention(8, 2)
q = torch.randn(3, 1, 8)
kpm = torch.tensor([[False, False, True]])
o, aw = mha(q, q, q, key_padding_mask=kpm, need_weights=True, average_attn_weights=False)
print(o.shape, aw.shape)
print(aw[0, :, :, 2])
o2, aw2 = mha(q, q, q, need_weights=False)
print(o2.shape, aw2)
