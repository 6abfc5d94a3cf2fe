import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence, pack_padded_sequence, pad_packed_sequence, pack_sequence, unpad_sequence, unpack_sequence

torch.manual_seed(0)
seqs = [torch.randn(n, 3) for n in (5, 2, 4)]
padded = pad_sequence(seqs, batch_first=True)
print(padded.shape, padded[1])
print(pad_sequence(seqs).shape, pad_sequence(seqs, padding_value=-1.0)[:, 1, 0])
print(pad_sequence(seqs, batch_first=True, padding_side='left')[1, :, 0])
lengths = torch.tensor([len(s) for s in seqs])
packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
print(packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices, packed.data.shape)
out, out_lens = pad_packed_sequence(packed, batch_first=True)
print(out_lens, torch.equal(out, padded))
out2, _ = pad_packed_sequence(packed, batch_first=True, total_length=7, padding_value=9.0)
print(out2.shape, out2[1, :, 0])
# %%
ps = pack_sequence(sorted(seqs, key=len, reverse=True))
print(ps.batch_sizes, ps.sorted_indices)
print([t.shape for t in unpack_sequence(packed)])
print([t.shape for t in unpad_sequence(padded, lengths, batch_first=True)])
ps2 = pack_sequence(seqs, enforce_sorted=False)
print(ps2.sorted_indices, torch.equal(ps2.data, packed.data))
# %%
# an LSTM over packed sequences, gradients flowing back into the padded input
lstm = nn.LSTM(3, 4, batch_first=True)
inp = padded.clone().requires_grad_()
pk = pack_padded_sequence(inp, lengths, batch_first=True, enforce_sorted=False)
o, (h, c) = lstm(pk)
o_pad, lens = pad_packed_sequence(o, batch_first=True)
print(o_pad.shape, h.shape, lens)
loss = h.pow(2).sum() + o_pad.sum()
loss.backward()
print(inp.grad[1])
numeric(inp.grad)
numeric(h)
last = o_pad[torch.arange(3), lens - 1]
print(torch.allclose(last, h[0]))
# %%
pack_padded_sequence(padded, lengths, batch_first=True)
# %%
pack_padded_sequence(padded, torch.tensor([5, 0, 4]), batch_first=True, enforce_sorted=False)
# %%
pad_sequence([torch.ones(2, 3), torch.ones(2, 4)])
# %%
print(pad_sequence([torch.ones(2, dtype=torch.int64), torch.full((3,), 2.5)]))
# %%
pad_sequence([])
# %%
pad_sequence(seqs, padding_side='middle')
# %%
pack_padded_sequence(padded, lengths.view(1, -1), batch_first=True)
