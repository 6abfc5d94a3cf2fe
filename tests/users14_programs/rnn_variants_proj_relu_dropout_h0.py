import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_sequence, pad_packed_sequence

torch.manual_seed(28)
rnn = nn.RNN(3, 4, num_layers=2, nonlinearity="relu", bias=False)
print(rnn, [n for n, _ in rnn.named_parameters()])
x = torch.randn(5, 2, 3)
h0 = torch.randn(2, 2, 4, requires_grad=True)
o, hn = rnn(x, h0)
print(o.shape, hn.shape, o.grad_fn.name())
hn.sum().backward()
print(h0.grad)
# %%
import warnings
lstm = nn.LSTM(3, 6, proj_size=2, num_layers=2, bidirectional=True)
print([(n, tuple(p.shape)) for n, p in lstm.named_parameters()][:6])
with warnings.catch_warnings():
    warnings.simplefilter("ignore")     # (oneDNN's once-per-process notice)
    o, (h, c) = lstm(x)
print(o.shape, h.shape, c.shape)
o.sum().backward()
print(lstm.weight_hr_l0.grad.shape, f"{lstm.weight_hr_l1_reverse.grad.abs().sum():.4f}")
# %%
gru = nn.GRU(3, 4, num_layers=3, dropout=0.5)
gru.train()
torch.manual_seed(29)
o1, _ = gru(x)
torch.manual_seed(29)
o2, _ = gru(x)
print(torch.equal(o1, o2))
gru.eval()
o3, _ = gru(x)
o4, _ = gru(x)
print(torch.equal(o3, o4), torch.equal(o1, o3))
# %%
seqs = [torch.randn(4, 3), torch.randn(2, 3), torch.randn(1, 3)]
packed = pack_sequence(seqs)
print(packed.data.shape, packed.batch_sizes)
out, h = nn.GRU(3, 2, bidirectional=True)(packed)
pad, lens = pad_packed_sequence(out, padding_value=-1.0)
print(pad[:, 2], lens)
# %%
nn.LSTM(3, 4)(torch.randn(5, 2, 3), (torch.zeros(1, 2, 4),))
# %%
nn.GRU(3, 4)(torch.randn(5, 2, 3), torch.zeros(1, 3, 4))
# %%
nn.LSTM(3, 4)(torch.randn(5, 2, 2))
# %%
nn.RNN(3, 4, nonlinearity="gelu")
