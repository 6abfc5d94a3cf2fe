# ruff: noqa: F821
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(19)
torch.set_default_dtype(torch.float64)

# manual scaled dot-product attention vs F.scaled_dot_product_attention, with a causal mask
B, T, E = 2, 5, 8
q = torch.randn(B, T, E, requires_grad=True)
k = torch.randn(B, T, E, requires_grad=True)
v = torch.randn(B, T, E, requires_grad=True)
mask = torch.tril(torch.ones(T, T, dtype=torch.bool))
scores = q @ k.transpose(-2, -1) / math.sqrt(E)
scores = scores.masked_fill(~mask, float("-inf"))
w = scores.softmax(dim=-1)
out = w @ v
ref = F.scaled_dot_product_attention(q, k, v, is_causal=True)
print(out.shape, torch.allclose(out, ref))
print(w[0, :3, :3])
out.pow(2).sum().backward()
numeric([out, ref, q.grad, k.grad, v.grad])
# %%
mha = nn.MultiheadAttention(E, num_heads=2, batch_first=True)
print(mha)
x = torch.randn(B, T, E)
y, attn = mha(x, x, x, attn_mask=~mask)
print(y.shape, attn.shape, attn.sum(-1))
y.sum().backward()
print(mha.in_proj_weight.grad.shape, mha.out_proj.bias.grad.shape)
numeric([y, attn, mha.in_proj_weight.grad])
# %%
y2, a2 = mha(x, x, x, need_weights=True, average_attn_weights=False)
pad = torch.tensor([[False] * 5, [False, False, False, True, True]])
y3, a3 = mha(x, x, x, key_padding_mask=pad)
print(a2.shape, a3[1, :, 3:].abs().max())
numeric([y2, a2, y3, a3])
