import random
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
random.seed(0)

V, H, B, S, T = 7, 8, 2, 5, 4
PAD, SOS = 0, 1


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, H, padding_idx=PAD)
        self.gru = nn.GRU(H, H, batch_first=True)

    def forward(self, src):
        return self.gru(self.emb(src))


class AttnDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, H)
        self.Wa = nn.Linear(H, H)
        self.Ua = nn.Linear(H, H)
        self.Va = nn.Linear(H, 1)
        self.gru = nn.GRU(2 * H, H, batch_first=True)
        self.out = nn.Linear(H, V)

    def forward(self, tok, hidden, enc_out, mask):
        q = hidden.permute(1, 0, 2)  # B,1,H
        scores = self.Va(torch.tanh(self.Wa(q) + self.Ua(enc_out))).squeeze(2).unsqueeze(1)
        scores = scores.masked_fill(mask.unsqueeze(1), float('-inf'))
        w = F.softmax(scores, dim=-1)
        ctx = torch.bmm(w, enc_out)
        x = torch.cat([self.emb(tok), ctx], dim=2)
        o, hidden = self.gru(x, hidden)
        return F.log_softmax(self.out(o), dim=-1), hidden, w


src = torch.tensor([[3, 4, 5, 0, 0], [2, 6, 3, 4, 5]])
tgt = torch.tensor([[4, 5, 2, 0], [6, 6, 3, 2]])
mask = src == PAD
enc, dec = Encoder(), AttnDecoder()
enc_out, h = enc(src)
print(enc_out.shape, h.shape)
tok = torch.full((B, 1), SOS, dtype=torch.long)
outs, attns = [], []
for t in range(T):
    lp, h, w = dec(tok, h, enc_out, mask)
    outs.append(lp)
    attns.append(w)
    if random.random() < 0.5:
        tok = tgt[:, t].unsqueeze(1)
    else:
        tok = lp.argmax(-1).detach()
    print(t, tok.squeeze(1).tolist())
outs = torch.cat(outs, 1)
print(outs.shape)
print(torch.cat(attns, 1)[0])
loss = F.nll_loss(outs.reshape(-1, V), tgt.reshape(-1), ignore_index=PAD)
print(loss)
loss.backward()
numeric(enc.emb.weight.grad)
numeric(dec.Va.weight.grad)
numeric(dec.gru.weight_hh_l0.grad)
# %%
q = torch.randn(2, 3, 4, requires_grad=True)
k = torch.randn(2, 5, 4, requires_grad=True)
scores = torch.bmm(q, k.transpose(1, 2)) / 4 ** 0.5
causal = torch.triu(torch.ones(3, 5, dtype=torch.bool), diagonal=1)
print(causal)
scores = scores.masked_fill(causal, -float('inf'))
att = scores.softmax(-1)
print(att[0])
att.pow(2).sum().backward()
numeric(q.grad)
numeric(k.grad)
full = torch.ones(2, 3, 5, dtype=torch.bool)
print(torch.randn(2, 3, 5).masked_fill(full, float('-inf')).softmax(-1)[0, 0])
# %%
torch.bmm(torch.randn(2, 3, 4), torch.randn(3, 4, 5))
# %%
torch.randn(2, 3).masked_fill(torch.ones(3, 2, dtype=torch.bool), 0.0)
