import torch
from torch import nn
torch.manual_seed(0)
# parametrization + state_dict + optimizer
m = nn.Linear(3, 3)
nn.utils.parametrizations.weight_norm(m)
opt = torch.optim.Adam(m.parameters(), lr=0.01)
for i in range(3):
    opt.zero_grad()
    m(torch.ones(2, 3)).pow(2).sum().backward()
    opt.step()
print(sorted(m.state_dict().keys()))
print([n for n, _ in m.named_parameters()])
numeric(m.weight)
# %%
m2 = nn.Linear(3, 3)
nn.utils.parametrizations.weight_norm(m2)
print(m2.load_state_dict(m.state_dict()))
print(torch.equal(m2.weight, m.weight))
# %%
nn.utils.parametrize.remove_parametrizations(m, "weight")
print(type(m.weight).__name__, [n for n, _ in m.named_parameters()])
# %%
rnn = nn.RNN(2, 3, batch_first=True, nonlinearity="relu")
out, h = rnn(torch.randn(1, 4, 2))
print(out.shape, h.shape, [n for n, _ in rnn.named_parameters()])
# %%
t = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=16, dropout=0.0)
print(sum(p.numel() for p in t.parameters()))
