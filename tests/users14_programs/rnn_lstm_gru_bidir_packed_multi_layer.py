import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

torch.manual_seed(6)
lstm = nn.LSTM(input_size=3, hidden_size=4, num_layers=2, bidirectional=True, batch_first=True, dropout=0.0)
print(lstm)
print([(n, tuple(p.shape)) for n, p in lstm.named_parameters()][:5])
seqs = [torch.randn(5, 3), torch.randn(3, 3), torch.randn(2, 3)]
lengths = torch.tensor([len(s) for s in seqs])
padded = pad_sequence(seqs, batch_first=True)
print(padded.shape)
packed = pack_padded_sequence(padded, lengths, batch_first=True)
print(packed.batch_sizes)
out, (h, c) = lstm(packed)
unpacked, out_lens = pad_packed_sequence(out, batch_first=True)
print(unpacked.shape, out_lens, h.shape, c.shape)
print(unpacked[2])
# %%
loss = h[-2:].pow(2).sum() + unpacked.sum()
loss.backward()
print(lstm.weight_ih_l0.grad.abs().sum())
print(lstm.weight_hh_l1_reverse.grad[0])
print(lstm.bias_ih_l1.grad)
# %%
gru = nn.GRU(3, 5, num_layers=2, batch_first=True)
h0 = torch.zeros(2, 3, 5)
o, hn = gru(padded, h0)
print(o.shape, hn.shape, o.grad_fn.name())
print(torch.allclose(o[:, -1], hn[-1]))
o.mean().backward()
print(f"{gru.weight_ih_l0.grad.sum():.5f}", gru.bias_hh_l1.grad.shape, f"{gru.bias_hh_l1.grad.norm():.5f}")
# %%
# unsorted lengths
packed2 = pack_padded_sequence(padded, torch.tensor([3, 5, 2]), batch_first=True, enforce_sorted=False)
print(packed2.sorted_indices, packed2.unsorted_indices)
o2, hn2 = gru(packed2)
print(hn2[-1])
# %%
pack_padded_sequence(padded, torch.tensor([3, 5, 2]), batch_first=True)
