import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.manual_seed(22)

class Tagger(nn.Module):
    def __init__(self, vocab=15, tags=3, d=6, h=5):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.rnn = nn.LSTM(d, h, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * h, tags)

    def forward(self, toks, lens):
        e = self.emb(toks)
        packed = pack_padded_sequence(e, lens, batch_first=True, enforce_sorted=False)
        o, _ = self.rnn(packed)
        o, _ = pad_packed_sequence(o, batch_first=True, total_length=toks.shape[1])
        return self.out(o)

toks = torch.tensor([[3, 4, 5, 6, 0], [7, 8, 0, 0, 0], [9, 10, 11, 12, 13]])
lens = (toks != 0).sum(1)
tags = torch.tensor([[0, 1, 2, 1, -100], [2, 0, -100, -100, -100], [1, 1, 0, 2, 1]])
model = Tagger()
opt = torch.optim.RMSprop(model.parameters(), lr=0.01)
for ep in range(5):
    logits = model(toks, lens)
    loss = nn.functional.cross_entropy(logits.reshape(-1, 3), tags.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_value_(model.parameters(), 0.5)
    opt.step()
    print(f"ep {ep} loss {loss:.5f}")
print(logits.shape, logits[1, 2:])
print(model.emb.weight.grad[0], model.emb.weight.grad[13])
# %%
pred = logits.argmax(-1).masked_fill(tags == -100, -1)
print(pred)
acc = ((pred == tags) & (tags != -100)).sum() / (tags != -100).sum()
print(acc)
# %%
# GRUCell / LSTMCell unrolled by hand match the full layers
cell = nn.LSTMCell(4, 3)
lstm = nn.LSTM(4, 3)
with torch.no_grad():
    for a, b in [("weight_ih", "weight_ih_l0"), ("weight_hh", "weight_hh_l0"), ("bias_ih", "bias_ih_l0"), ("bias_hh", "bias_hh_l0")]:
        getattr(lstm, b).copy_(getattr(cell, a))
seq = torch.randn(6, 2, 4)
h = c = torch.zeros(2, 3)
outs = []
for t in range(6):
    h, c = cell(seq[t], (h, c))
    outs.append(h)
full, (hn, cn) = lstm(seq)
print(torch.allclose(torch.stack(outs), full, atol=1e-6), torch.allclose(c, cn[0], atol=1e-6))
