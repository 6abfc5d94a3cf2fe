import torch
import torch.nn as nn

torch.manual_seed(0)
vocab, d = 12, 8
emb = nn.Embedding(vocab, d)
enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 2, 16, dropout=0.0, batch_first=True), 1,
                            enable_nested_tensor=False)
head = nn.Linear(d, vocab)
params = list(emb.parameters()) + list(enc.parameters()) + list(head.parameters())
opt = torch.optim.AdamW(params, lr=3e-3)
tokens = torch.randint(1, vocab, (4, 7))
labels = tokens.clone()
mask = torch.rand(4, 7) < 0.3
labels[~mask] = -100                      # only masked positions count
inputs = tokens.masked_fill(mask, 0)
for step in range(4):
    opt.zero_grad()
    logits = head(enc(emb(inputs)))
    loss = nn.functional.cross_entropy(logits.view(-1, vocab), labels.view(-1), ignore_index=-100)
    loss.backward()
    gn = nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    print(step, f"{loss.item():.5f}", mask.sum().item())
with torch.no_grad():
    pred = head(enc(emb(inputs))).argmax(-1)
print((pred[mask] == tokens[mask]).float().mean())
print(nn.functional.cross_entropy(logits.view(-1, vocab), labels.view(-1), reduction="sum").item())
