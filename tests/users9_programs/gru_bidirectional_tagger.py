import torch
import torch.nn as nn

torch.manual_seed(2)
emb = nn.Embedding(10, 4, padding_idx=0)
gru = nn.GRU(4, 3, num_layers=2, bidirectional=True, batch_first=True, dropout=0.0)
tag = nn.Linear(6, 5)
tokens = torch.tensor([[1, 4, 7, 0], [2, 2, 9, 3]])
h, hn = gru(emb(tokens))
print(h.shape, hn.shape)
scores = tag(h)
loss = nn.functional.cross_entropy(scores.reshape(-1, 5), torch.tensor([0, 1, 2, 3, 4, 0, 1, 2]), ignore_index=0)
loss.backward()
print(emb.weight.grad[0])
numeric(loss)
numeric(gru.weight_ih_l1_reverse.grad)
numeric(emb.weight.grad)
print([n for n, _ in gru.named_parameters()][:6])
print(gru)
