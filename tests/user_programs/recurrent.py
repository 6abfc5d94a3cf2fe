import torch
import torch.nn as nn
torch.set_default_dtype(torch.float64)   # (float32 matmul rounding differs in the last bit)
for m in [nn.RNN(2, 3), nn.RNN(2, 3, nonlinearity='relu', num_layers=2, bias=False),
          nn.LSTM(2, 3, batch_first=True, bidirectional=True, dropout=0.5, num_layers=2), nn.GRU(2, 3), nn.RNNCell(2, 3),
          nn.RNNCell(2, 3, nonlinearity='relu', bias=False), nn.LSTMCell(2, 3), nn.GRUCell(2, 3)]:
    print(repr(m), [(n, tuple(p.shape)) for n, p in m.named_parameters()])
def fill(m):
    with torch.no_grad():
        for i, p in enumerate(m.parameters()):
            p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape) * (1 + 0.2 * i) + 0.05 * i)
    return m
x = torch.tensor([[[0.5, -1.0]], [[0.2, 0.3]], [[-0.7, 0.9]], [[1.1, -0.4]]], requires_grad=True)
for m in [nn.RNN(2, 3), nn.RNN(2, 3, nonlinearity='relu', num_layers=2), nn.GRU(2, 3, bidirectional=True), nn.GRU(2, 3, num_layers=2, bias=False)]:
    fill(m)
    out, h = m(x)
    (out.sum() + h.pow(2).sum()).backward()
    print(out, h, x.grad, m.weight_hh_l0.grad)
    x.grad = None
lstm = fill(nn.LSTM(2, 3, num_layers=2, bidirectional=True))
out, (h, c) = lstm(x)
out.pow(2).sum().backward()
print(out.shape, h.shape, c.shape, h, c, x.grad)
x.grad = None
lstm_bf = fill(nn.LSTM(2, 4, batch_first=True))
out, (h, c) = lstm_bf(x.transpose(0, 1))
print(out.grad_fn.name(), out.shape, h.grad_fn.name(), h)
h0 = torch.full((1, 1, 3), 0.1)
out, h = fill(nn.GRU(2, 3))(x, h0)
print(out[-1], h)
out, h = fill(nn.RNN(2, 3))(x[:, 0, :])
print(out.shape, h.shape, out.grad_fn.name())
cell = fill(nn.LSTMCell(2, 3))
hx, cx = torch.zeros(1, 3), torch.zeros(1, 3)
for t in range(4):
    hx, cx = cell(x[t], (hx, cx))
print(hx, cx)
g = fill(nn.GRUCell(2, 3))
hh = g(x[0])
print(hh, g(x[0, 0]), fill(nn.RNNCell(2, 3, nonlinearity='relu'))(x[1]).grad_fn.name())
torch.set_default_dtype(torch.float32)
