import torch
import torch.nn as nn

torch.manual_seed(27)
mha = nn.MultiheadAttention(6, 3, kdim=4, vdim=5, dropout=0.0)
print(mha)
print([(n, tuple(p.shape)) for n, p in mha.named_parameters()])
q = torch.randn(3, 2, 6)  # (L, N, E) sequence first
k = torch.randn(5, 2, 4)
v = torch.randn(5, 2, 5)
out, w = mha(q, k, v)
print(out.shape, w.shape)
out.pow(2).sum().backward()
print(mha.q_proj_weight.grad.shape, mha.k_proj_weight.grad.norm() > 0, mha.in_proj_bias.grad.shape)
# %%
m2 = nn.MultiheadAttention(4, 2, add_bias_kv=True, add_zero_attn=True)
print([n for n, _ in m2.named_parameters()])
x = torch.randn(3, 1, 4)
o, a = m2(x, x, x)
print(o.shape, a.shape)
print(a[0])
# %%
# unbatched inputs and a 3-D attention mask per head
m3 = nn.MultiheadAttention(4, 2, batch_first=True)
xu = torch.randn(3, 4)
o, a = m3(xu, xu, xu)
print(o.shape, a.shape)
mask3 = torch.zeros(2 * 2, 3, 3, dtype=torch.bool)
mask3[:, :, 2] = True
xb = torch.randn(2, 3, 4)
o, a = m3(xb, xb, xb, attn_mask=mask3, average_attn_weights=False)
print(a.shape, a[1, 1])
# %%
m3(xb, xb, xb, attn_mask=torch.zeros(3, 3, 3, dtype=torch.bool))
# %%
nn.MultiheadAttention(5, 2)
