# ruff: noqa: F821
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence
torch.manual_seed(26)

seqs = [torch.randn(4, 3), torch.randn(2, 3), torch.randn(3, 3)]
lengths = torch.tensor([len(s) for s in seqs])
padded = pad_sequence(seqs, batch_first=True)
print(padded.shape, lengths)
for cls in (nn.RNN, nn.GRU):
    rnn = cls(3, 5, num_layers=2, bidirectional=True, batch_first=True)
    print(rnn)
    h0 = torch.zeros(4, 3, 5)
    out, hn = rnn(padded, h0)
    print(out.shape, hn.shape)
    # last valid step of each sequence, forward direction
    last = out[torch.arange(3), lengths - 1, :5]
    last.sum().backward()
    print(sorted(n for n, _ in rnn.named_parameters())[:4])
    numeric([out, hn, rnn.weight_ih_l1.grad, rnn.bias_hh_l0_reverse.grad])
# %%
lstm = nn.LSTM(3, 4, dropout=0.0, bias=False)
print(lstm)
o, (h, c) = lstm(torch.randn(5, 2, 3))
print(o.shape, h.shape, c.shape)
cell = nn.RNNCell(3, 4, nonlinearity="relu")
hx = cell(torch.randn(2, 3))
print(cell, hx.shape, hx.min() >= 0)
numeric([o, h, c, hx])
