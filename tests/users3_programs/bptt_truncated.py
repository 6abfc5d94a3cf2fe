# ruff: noqa: F821
import torch
import torch.nn as nn
torch.manual_seed(53)

# truncated backprop through time: carry the hidden state, detach it between chunks
rnn = nn.RNN(1, 6, batch_first=True)
head = nn.Linear(6, 1)
opt = torch.optim.SGD(list(rnn.parameters()) + list(head.parameters()), lr=0.05)
t = torch.linspace(0, 12.56, 81)
series = torch.sin(t).reshape(1, -1, 1)
h = None
losses = []
for start in range(0, 80, 10):
    x = series[:, start:start + 10]
    target = series[:, start + 1:start + 11]
    out, h = rnn(x, h)
    loss = ((head(out) - target) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    h = h.detach()
    losses.append(round(loss.item(), 5))
print(losses)
print(h.requires_grad, h.shape, h.grad_fn)
numeric([loss, h, rnn.weight_hh_l0])
# %%
# forgetting the detach is torch's error on the second chunk
h = torch.zeros(1, 1, 6)
out, h = rnn(series[:, :10], h)
((head(out) - series[:, 1:11]) ** 2).mean().backward()
try:
    out, h = rnn(series[:, 10:20], h)
    ((head(out) - series[:, 11:21]) ** 2).mean().backward()
except RuntimeError as e:
    print(str(e).split(".")[0])
