import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)

V, E, H = 6, 5, 8
src_emb = nn.Embedding(V, E)
tgt_emb = nn.Embedding(V, E)
enc = nn.LSTM(E, H, batch_first=True, bidirectional=True)
bridge = nn.Linear(2 * H, H)
dec_cell = nn.LSTMCell(E + 2 * H, H)
attn_proj = nn.Linear(H, 2 * H, bias=False)
out_proj = nn.Linear(H + 2 * H, V)

src = torch.tensor([[2, 3, 4, 0], [5, 1, 0, 0]])
lengths = torch.tensor([3, 2])
mask = torch.arange(4)[None] >= lengths[:, None]
print(mask)
enc_out, (hn, cn) = enc(src_emb(src))
print(enc_out.shape, hn.shape)
h = torch.tanh(bridge(torch.cat([hn[0], hn[1]], -1)))
c = torch.zeros_like(h)
ctx = torch.zeros(2, 2 * H)
tok = torch.ones(2, dtype=torch.long)
tgt = torch.tensor([[3, 4, 2], [1, 5, 2]])
losses = []
for t in range(3):
    h, c = dec_cell(torch.cat([tgt_emb(tok), ctx], -1), (h, c))
    score = torch.bmm(enc_out, attn_proj(h).unsqueeze(2)).squeeze(2)
    score = score.masked_fill(mask, -1e9)
    alpha = F.softmax(score, dim=1)
    ctx = torch.bmm(alpha.unsqueeze(1), enc_out).squeeze(1)
    logits = out_proj(torch.cat([h, ctx], -1))
    losses.append(F.cross_entropy(logits, tgt[:, t], reduction='none'))
    tok = tgt[:, t]  # teacher forcing
    print(t, alpha[1])
loss = torch.stack(losses, 1).sum(1).mean()
print(loss)
loss.backward()
numeric(src_emb.weight.grad)
numeric(attn_proj.weight.grad)
numeric(enc.weight_ih_l0_reverse.grad)
# %%
with torch.no_grad():
    h = torch.tanh(bridge(torch.cat([hn[0], hn[1]], -1)))
    c = torch.zeros_like(h)
    ctx = torch.zeros(2, 2 * H)
    tok = torch.ones(2, dtype=torch.long)
    outs = []
    finished = torch.zeros(2, dtype=torch.bool)
    for t in range(5):
        h, c = dec_cell(torch.cat([tgt_emb(tok), ctx], -1), (h, c))
        score = torch.einsum('bsh,bh->bs', enc_out, attn_proj(h)).masked_fill(mask, float('-inf'))
        ctx = torch.einsum('bs,bsh->bh', score.softmax(1), enc_out)
        logp = out_proj(torch.cat([h, ctx], -1)).log_softmax(-1)
        tok = logp.argmax(-1)
        tok = torch.where(finished, torch.zeros_like(tok), tok)
        finished |= tok == 2
        outs.append(tok)
    print(torch.stack(outs, 1))
    print(finished)
