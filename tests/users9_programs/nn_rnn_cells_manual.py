import torch
import torch.nn as nn

torch.manual_seed(0)
cell = nn.LSTMCell(3, 4)
gcell = nn.GRUCell(3, 4)
xs = torch.randn(5, 2, 3)
h, c = torch.zeros(2, 4), torch.zeros(2, 4)
hg = torch.zeros(2, 4)
outs = []
for t in range(5):
    h, c = cell(xs[t], (h, c))
    hg = gcell(xs[t], hg)
    outs.append(h + hg)
loss = torch.stack(outs).pow(2).mean()
loss.backward()
print(f"{loss.item():.6f}")
numeric(cell.weight_ih.grad)
numeric(gcell.bias_hh.grad)
rnn = nn.RNN(3, 4, nonlinearity="relu", num_layers=2)
out, hn = rnn(xs)
print(out.shape, hn.shape)
lstm = nn.LSTM(3, 5, bidirectional=True)
o, (hh, cc) = lstm(xs)
print(o.shape, hh.shape, cc.shape)
print(lstm)
print(nn.RNNCell(3, 2, bias=False)(xs[0]).shape)
try:
    cell(torch.randn(2, 5))
except RuntimeError as e:
    print(e)
