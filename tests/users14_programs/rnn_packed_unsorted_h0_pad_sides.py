import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence, unpad_sequence, unpack_sequence, pack_sequence
torch.manual_seed(8)
lstm = nn.LSTM(2, 3, batch_first=True, num_layers=2)
x = torch.randn(3, 4, 2)
lens = torch.tensor([2, 4, 3])
h0 = torch.randn(2, 3, 3)
c0 = torch.randn(2, 3, 3)
p = pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
o, (h, c) = lstm(p, (h0, c0))
print(h[-1])
print(pad_packed_sequence(o, batch_first=True)[0][0])
# compare with running each sequence alone
for i in range(3):
    oi, (hi, ci) = lstm(x[i:i + 1, :lens[i]], (h0[:, i:i + 1], c0[:, i:i + 1]))
    print(torch.allclose(hi[-1, 0], h[-1, i], atol=1e-6))
# %%
gru = nn.GRU(2, 3, bidirectional=True)
seqs = [torch.randn(3, 2), torch.randn(1, 2), torch.randn(2, 2)]
ps = pack_sequence(seqs, enforce_sorted=False)
h0 = torch.randn(2, 3, 3, requires_grad=True)
o, hn = gru(ps, h0)
hn.sum().backward()
print(hn[1], h0.grad[0])
print([t.shape for t in unpack_sequence(o)])
# %%
padded = pad_sequence(seqs, batch_first=True, padding_side="left")
print(padded[:, :, 0])
print([t.shape for t in unpad_sequence(pad_sequence(seqs, batch_first=True), torch.tensor([3, 1, 2]), batch_first=True)])
