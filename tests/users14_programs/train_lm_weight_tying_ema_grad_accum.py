import copy
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(14)

class TinyLM(nn.Module):
    def __init__(self, vocab=11, d=8):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.rnn = nn.GRU(d, d, batch_first=True)
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)
        self.head.weight = self.emb.weight   # weight tying
        self.register_buffer("steps", torch.zeros((), dtype=torch.long), persistent=False)

    def forward(self, idx):
        h, _ = self.rnn(self.emb(idx))
        return self.head(self.ln(h))

model = TinyLM()
ema = copy.deepcopy(model)
for p in ema.parameters():
    p.requires_grad_(False)
print(sum(p.numel() for p in model.parameters()), list(model.state_dict().keys()))
print(model.head.weight is model.emb.weight)
data = torch.randint(0, 11, (4, 7))
opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.1)
accum = 2
for step in range(6):
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 11), data[:, 1:].reshape(-1)) / accum
    loss.backward()
    if (step + 1) % accum == 0:
        total = torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5, norm_type=2.0, foreach=True)
        opt.step()
        opt.zero_grad(set_to_none=True)
        model.steps += 1
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.lerp_(pm, 0.1)
        print(f"step {step} loss {loss.item() * accum:.5f} gnorm {total.item():.5f}")
print(model.steps, ema.emb.weight[0, :3], model.emb.weight.grad)
# %%
ppl = torch.exp(F.cross_entropy(ema(data[:, :-1]).reshape(-1, 11), data[:, 1:].reshape(-1)))
print(f"ema perplexity {ppl.item():.2f}")
res = ema.load_state_dict({"emb.weight": torch.zeros(11, 8)}, strict=False)
print(res)
print(ema.head.weight.sum(), res.missing_keys[:2])
# %%
ema.load_state_dict({"emb.weight": torch.zeros(3, 8)}, strict=False)
# %%
g = torch.nn.utils.clip_grad_norm_([torch.ones(2, requires_grad=True)], 1.0, norm_type="inf")
print(g)
ps = [torch.nn.Parameter(torch.ones(2)), torch.nn.Parameter(torch.ones(3))]
for p in ps:
    p.grad = torch.full_like(p, 2.0)
print(torch.nn.utils.clip_grad_norm_(ps, 1.0, norm_type=float("inf")), ps[0].grad, torch.nn.utils.get_total_norm([p.grad for p in ps], 1.0))
