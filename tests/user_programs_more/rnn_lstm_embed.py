import torch
import torch.nn as nn
torch.manual_seed(0)
class Tagger(nn.Module):
    def __init__(self, vocab=10, emb=4, hidden=5, tags=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hidden, batch_first=True)
        self.out = nn.Linear(hidden, tags)
    def forward(self, tokens):
        h, (hn, cn) = self.lstm(self.emb(tokens))
        return self.out(h), hn
model = Tagger()
tokens = torch.tensor([[1, 4, 2, 0], [3, 3, 9, 5]])
tags = torch.tensor([[0, 1, 2, 0], [1, 1, 0, 2]])
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for epoch in range(4):
    opt.zero_grad()
    logits, hn = model(tokens)
    loss = nn.functional.cross_entropy(logits.reshape(-1, 3), tags.reshape(-1))
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    print(epoch, f"{loss.item():.4f}")
print(logits.shape, hn.shape, model.emb.weight.grad[0])
print(model.lstm)
print([n for n, _ in model.lstm.named_parameters()])
# %%
rnn = nn.RNN(2, 3, num_layers=1, nonlinearity="tanh")
seq = torch.randn(6, 1, 2)
h = torch.zeros(1, 1, 3)
outs = []
for t in range(6):
    o, h = rnn(seq[t:t + 1], h)
    outs.append(o)
full, hfull = rnn(seq, torch.zeros(1, 1, 3))
print(torch.allclose(torch.cat(outs), full), torch.allclose(h, hfull))
print(full.grad_fn is not None, hfull.shape)
# truncated BPTT with detach
h = torch.zeros(1, 1, 3)
opt = torch.optim.SGD(rnn.parameters(), lr=0.1)
for chunk in range(3):
    h = h.detach()
    o, h = rnn(seq[2 * chunk:2 * chunk + 2], h)
    l = o.pow(2).mean()
    opt.zero_grad()
    l.backward()
    opt.step()
    print(chunk, round(l.item(), 5))
