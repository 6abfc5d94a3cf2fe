import torch
from torch import nn
torch.manual_seed(0)
vocab = {w: i for i, w in enumerate("<pad> good bad great awful movie plot acting fine boring".split())}
docs = [("good movie", 1), ("bad plot", 0), ("great acting", 1), ("awful movie", 0), ("fine plot", 1),
        ("boring acting", 0), ("good plot great acting", 1), ("bad movie awful plot", 0)]
def encode(text, n=4):
    ids = [vocab[w] for w in text.split()][:n]
    return ids + [0] * (n - len(ids))
X = torch.tensor([encode(t) for t, _ in docs])
Y = torch.tensor([l for _, l in docs], dtype=torch.float32)
print(X)

class Classifier(nn.Module):
    def __init__(self, n_vocab, d=8):
        super().__init__()
        self.emb = nn.Embedding(n_vocab, d, padding_idx=0)
        self.norm = nn.LayerNorm(d)
        self.out = nn.Linear(d, 1)

    def forward(self, ids):
        mask = (ids != 0).unsqueeze(-1).float()
        h = (self.emb(ids) * mask).sum(1) / mask.sum(1).clamp(min=1)
        return self.out(self.norm(h)).squeeze(-1)

model = Classifier(len(vocab))
opt = torch.optim.Adam(model.parameters(), lr=0.05)
loss_fn = nn.BCEWithLogitsLoss()
for epoch in range(30):
    opt.zero_grad()
    loss = loss_fn(model(X), Y)
    loss.backward()
    opt.step()
    if epoch % 10 == 0:
        print(epoch, f"{loss.item():.4f}")
with torch.no_grad():
    probs = torch.sigmoid(model(X))
print(probs.round(decimals=2))
print(((probs > 0.5).float() == Y).all())
print(model.emb.weight[0], model.emb.weight.grad[0])
# %%
print(model)
print({n: tuple(p.shape) for n, p in model.named_parameters()})
test = torch.tensor([encode("great movie"), encode("boring plot")])
print(torch.sigmoid(model(test)).detach().round(decimals=2))
