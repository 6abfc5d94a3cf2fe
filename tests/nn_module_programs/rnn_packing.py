import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pad_sequence, pack_padded_sequence, pad_packed_sequence, pack_sequence, unpack_sequence, unpad_sequence
rng = np.random.default_rng(0)
seqs = [torch.tensor(rng.normal(size=(n, 3)), requires_grad=True) for n in (2, 5, 3)]
padded = pad_sequence(seqs, batch_first=True)
print(padded.shape, padded.grad_fn.name())
print(pad_sequence(seqs, padding_value=-1.0, padding_side="left")[:, 0])
lengths = torch.tensor([2, 5, 3])
packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
print(packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices, packed.data.grad_fn.name())
out, lens = pad_packed_sequence(packed, batch_first=True, total_length=6)
print(out.shape, lens)
(out * torch.arange(6.0, dtype=torch.float64)[None, :, None]).sum().backward()
print(seqs[1].grad)
# %%
print([s.shape for s in unpack_sequence(pack_sequence(seqs, enforce_sorted=False))])
print([s.shape for s in unpad_sequence(pad_sequence(seqs), torch.tensor([2, 5, 3]))])
pack_sequence(seqs)
# %%
pack_padded_sequence(padded, torch.tensor([2, 0, 3]), batch_first=True, enforce_sorted=False)
# %%
for cls in (nn.RNN, nn.LSTM, nn.GRU):
    torch.manual_seed(0)
    rnn = cls(3, 4, num_layers=2, bidirectional=True, batch_first=True).double()
    with torch.no_grad():
        for p in rnn.parameters():
            p.copy_(torch.tensor(rng.normal(size=tuple(p.shape)) * 0.5))
    for s in seqs:
        s.grad = None
    packed = pack_padded_sequence(pad_sequence(seqs, batch_first=True), lengths, batch_first=True, enforce_sorted=False)
    h0 = torch.tensor(rng.normal(size=(4, 3, 4)))
    hx = (h0, h0 * 0.5) if cls is nn.LSTM else h0
    out, h = rnn(packed, hx)
    padded_out, out_lens = pad_packed_sequence(out, batch_first=True)
    print(cls.__name__, padded_out.shape, out_lens, type(out).__name__)
    print(padded_out[0, :3])
    hn = h[0] if cls is nn.LSTM else h
    print(hn[:, 2])
    (padded_out.sum() + hn.pow(2).sum()).backward()
    print(seqs[0].grad)
