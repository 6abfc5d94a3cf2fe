import torch
import torch.nn as nn

torch.manual_seed(4)
mha = nn.MultiheadAttention(embed_dim=8, num_heads=2, batch_first=True)
print(mha)
print([n for n, _ in mha.named_parameters()])
q = torch.randn(2, 4, 8)
kv = torch.randn(2, 5, 8)
out, w = mha(q, kv, kv)
print(out.shape, w.shape, out.grad_fn.name())
print(w.sum(-1))
# %%
# key padding mask (True = ignore) and per-head weights
kpm = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])
out, w = mha(q, kv, kv, key_padding_mask=kpm, average_attn_weights=False)
print(w.shape)
print(w[0, 0])
print(w[0, :, :, 3:].abs().max())
# %%
# causal self-attention with a float mask and need_weights=False
L = 4
causal = torch.triu(torch.full((L, L), float("-inf")), diagonal=1)
print(causal)
x = torch.randn(2, L, 8, requires_grad=True)
o, none_w = mha(x, x, x, attn_mask=causal, need_weights=False)
print(none_w)
o.sum().backward()
print(x.grad.shape, x.grad[0, -1])
print(mha.in_proj_weight.grad.abs().sum() > 0, mha.out_proj.bias.grad)
# %%
bool_mask = nn.Transformer.generate_square_subsequent_mask(L)
print(bool_mask)
o2, w2 = mha(x, x, x, attn_mask=torch.triu(torch.ones(L, L, dtype=torch.bool), 1))
print(w2[1])
# %%
mha(q, kv, kv, attn_mask=torch.zeros(3, 3))
