import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)

sz = 4
m = nn.Transformer.generate_square_subsequent_mask(sz)
print(m)
bool_mask = torch.triu(torch.ones(sz, sz, dtype=torch.bool), 1)
print(bool_mask)
q = torch.randn(2, 2, sz, 8, requires_grad=True)
k = torch.randn(2, 2, sz, 8, requires_grad=True)
v = torch.randn(2, 2, sz, 8, requires_grad=True)
o1 = F.scaled_dot_product_attention(q, k, v, is_causal=True)
o2 = F.scaled_dot_product_attention(q, k, v, attn_mask=~bool_mask)
o3 = F.scaled_dot_product_attention(q, k, v, attn_mask=m)
att = (q @ k.transpose(-2, -1) / 8 ** 0.5).masked_fill(bool_mask, float('-inf')).softmax(-1)
o4 = att @ v
numeric(o1)
numeric(o1 - o2)
numeric(o1 - o3)
numeric(o1 - o4)
o1.sum().backward()
numeric(q.grad)
numeric(k.grad)
numeric(v.grad)
# %%
pad = torch.tensor([[False, False, True, True], [False, False, False, True]])
key_mask = pad[:, None, None, :]
scores = torch.randn(2, 2, sz, sz).masked_fill(key_mask, float('-inf'))
w = scores.softmax(-1)
print(w[0, 0])
print(torch.nan_to_num(torch.full((2,), float('-inf')).softmax(0)))
mha = nn.MultiheadAttention(8, 2, batch_first=True)
x = torch.randn(2, sz, 8)
out, aw = mha(x, x, x, key_padding_mask=pad, attn_mask=bool_mask)
print(out.shape, aw.shape)
numeric(aw)
out, aw = mha(x, x, x, key_padding_mask=pad, need_weights=True, average_attn_weights=False)
print(aw.shape)
# %%
F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(3, 3, dtype=torch.bool))
# %%
val = torch.tensor(-1e4, requires_grad=True)
sc = torch.randn(2, 3).masked_fill_(torch.tensor([[True, False, False], [False, False, True]]), val)
print(sc.grad_fn)
sc.sum().backward()
print(val.grad)
# %%
torch.randn(2, 3).masked_fill(torch.ones(2, 3, dtype=torch.bool), torch.tensor([1.0, 2.0, 3.0]))
# %%
torch.triu(torch.ones(4), diagonal=1)
# %%
torch.tril(torch.tensor(1.0))
# %%
nn.LSTMCell(3, 4)(torch.randn(2, 3), (torch.zeros(2, 4),))
# %%
nn.LSTMCell(3, 4)(torch.randn(2, 3), torch.zeros(2, 4))
