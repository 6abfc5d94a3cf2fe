import torch
import torch.nn as nn

torch.manual_seed(20)
layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0, batch_first=True)
enc = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
print(enc.layers[0])
emb = nn.Embedding(12, 8, padding_idx=0)
head = nn.Linear(8, 2)
tokens = torch.tensor([[5, 3, 7, 0, 0], [2, 9, 4, 11, 1], [6, 6, 0, 0, 0]])
pad = tokens == 0
labels = torch.tensor([0, 1, 0])
params = list(enc.parameters()) + list(emb.parameters()) + list(head.parameters())
opt = torch.optim.Adam(params, lr=5e-3)
for step in range(5):
    h = enc(emb(tokens), src_key_padding_mask=pad)
    m = (~pad).unsqueeze(-1).float()
    pooled = (h * m).sum(1) / m.sum(1)
    loss = nn.functional.cross_entropy(head(pooled), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step}: {loss.item():.5f}")
print(emb.weight.grad[0])
print(h.shape, h.grad_fn.name())
# %%
enc.eval()
with torch.no_grad():
    h1 = enc(emb(tokens), src_key_padding_mask=pad)
    h2 = enc(emb(tokens[:1, :3]))
print(torch.allclose(h1[0, :3], h2[0], atol=1e-5))
# %%
# causal mask, norm_first layer
torch.manual_seed(21)
pre = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, activation="gelu", norm_first=True)
x = torch.randn(4, 2, 8, requires_grad=True)
mask = nn.Transformer.generate_square_subsequent_mask(4)
y = pre(x, src_mask=mask, is_causal=True)
y[0].sum().backward()
print(x.grad[1:].abs().max(), x.grad[0].abs().sum() > 0)
