# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import torch.nn as nn
torch.manual_seed(0)

class TinyLM(nn.Module):
    def __init__(self, vocab=10, dim=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.proj = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, vocab, bias=False)
        self.out.weight = self.emb.weight          # weight tying
        self.reset_parameters()

    def reset_parameters(self):
        nn.init.normal_(self.emb.weight, std=0.02)
        nn.init.xavier_uniform_(self.proj.weight)
        nn.init.zeros_(self.proj.bias)

    def forward(self, idx):
        return self.out(torch.tanh(self.proj(self.emb(idx))))

m = TinyLM()
print(m)
print(m.out.weight is m.emb.weight)
print(sum(p.numel() for p in m.parameters()), len(list(m.parameters())))
print([n for n, _ in m.named_parameters()])
print(list(m.state_dict().keys()))
idx = torch.tensor([[1, 2, 3], [4, 5, 6]])
logits = m(idx)
loss = nn.functional.cross_entropy(logits.view(-1, 10), torch.tensor([2, 3, 4, 5, 6, 7]))
loss.backward()
print(logits.shape, f"{loss.item():.4f}")
numeric(m.emb.weight.grad)
# %%
w = torch.empty(3, 5)
nn.init.kaiming_uniform_(w, a=5 ** 0.5)
print(w)
nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
print(w)
nn.init.constant_(w, 0.3)
print(w.sum())
nn.init.uniform_(w, -0.1, 0.1)
nn.init.xavier_normal_(w, gain=nn.init.calculate_gain("tanh"))
print(w, nn.init.calculate_gain("leaky_relu", 0.2))
nn.init.eye_(w)
print(w)
print(nn.init.ones_(torch.empty(2)), nn.init.dirac_(torch.empty(2, 2, 3)))
# %%
def init_weights(mod):
    if isinstance(mod, nn.Linear):
        nn.init.trunc_normal_(mod.weight, std=0.02) if False else nn.init.orthogonal_(mod.weight) if False else nn.init.xavier_uniform_(mod.weight)
        if mod.bias is not None:
            nn.init.constant_(mod.bias, 0.01)
net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
net.apply(init_weights)
print(net[0].bias, net[2].weight)
