import math
import torch
import torch.nn.functional as F

torch.manual_seed(5)
B, H, L, D = 2, 2, 4, 3
q = torch.randn(B, H, L, D, requires_grad=True)
k = torch.randn(B, H, L, D, requires_grad=True)
v = torch.randn(B, H, L, D, requires_grad=True)
out = F.scaled_dot_product_attention(q, k, v)
manual = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(D), dim=-1) @ v
print(out.shape, torch.allclose(out, manual, atol=1e-6))
# %%
causal = F.scaled_dot_product_attention(q, k, v, is_causal=True)
print(causal[0, 0])
mask = torch.ones(L, L, dtype=torch.bool).tril()
masked = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
print(torch.allclose(causal, masked, atol=1e-6))
causal.sum().backward()
print(q.grad[0, 0])
print(k.grad[1, 1])
print(v.grad.sum(dim=(0, 1)))
# %%
# additive float mask and custom scale
bias = torch.zeros(L, L)
bias[:, 0] = -1e9
o = F.scaled_dot_product_attention(q.detach(), k.detach(), v.detach(), attn_mask=bias, scale=0.5)
print(o[0, 0])
# %%
# fully masked row gives nan
m2 = torch.zeros(L, L, dtype=torch.bool)
o = F.scaled_dot_product_attention(q.detach(), k.detach(), v.detach(), attn_mask=m2)
print(o[0, 0])
# %%
F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=True)
