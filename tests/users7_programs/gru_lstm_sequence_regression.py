import torch
from torch import nn
torch.manual_seed(0)

class SeqModel(nn.Module):
    def __init__(self, cell="lstm"):
        super().__init__()
        rnn = nn.LSTM if cell == "lstm" else nn.GRU
        self.rnn = rnn(input_size=1, hidden_size=8, num_layers=1, batch_first=True)
        self.head = nn.Linear(8, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1])

t = torch.linspace(0, 8, 41)
series = torch.sin(t)
X = torch.stack([series[i:i + 10] for i in range(30)]).unsqueeze(-1)
Y = torch.stack([series[i + 10] for i in range(30)]).unsqueeze(-1)
print(X.shape, Y.shape)
for cell in ["lstm", "gru"]:
    torch.manual_seed(0)
    m = SeqModel(cell)
    opt = torch.optim.Adam(m.parameters(), lr=0.02)
    for ep in range(25):
        opt.zero_grad()
        loss = nn.functional.mse_loss(m(X), Y)
        loss.backward()
        nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step()
    print(cell, f"{loss.item():.5f}")
# %%
lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
print([(n, tuple(p.shape)) for n, p in lstm.named_parameters()][:6])
x = torch.randn(5, 2, 3)
out, (h, c) = lstm(x)
print(out.shape, h.shape, c.shape)
h0 = torch.zeros(4, 2, 4)
c0 = torch.zeros(4, 2, 4)
out2, _ = lstm(x, (h0, c0))
print(torch.allclose(out, out2))
print(out[0, 0].round(decimals=4))
# %%
gru = nn.GRU(3, 5, batch_first=True)
xb = torch.randn(2, 7, 3, requires_grad=True)
o, hn = gru(xb)
print(o.shape, hn.shape, torch.allclose(o[:, -1], hn[0]))
o.pow(2).sum().backward()
print(xb.grad.shape, xb.grad[0, 0].round(decimals=4))
print(gru.weight_hh_l0.grad.abs().sum().round(decimals=3))
# %%
cell = nn.GRUCell(3, 4)
lcell = nn.LSTMCell(3, 4)
h = torch.zeros(2, 4)
hc = (torch.zeros(2, 4), torch.zeros(2, 4))
for step in range(3):
    inp = torch.ones(2, 3) * step
    h = cell(inp, h)
    hc = lcell(inp, hc)
print(h.round(decimals=4))
print(hc[0].round(decimals=4), hc[1].grad_fn is not None)
rnn = nn.RNN(3, 4, nonlinearity="relu")
print(rnn, rnn(torch.ones(2, 1, 3))[0].shape)
