import torch
import torch.nn as nn
import torch.nn.functional as F

# a batch element whose keys are all padding: SDPA gives zeros (not NaN)
torch.manual_seed(0)
q = torch.randn(1, 1, 3, 2, requires_grad=True)
k = torch.randn(1, 1, 3, 2, requires_grad=True)
v = torch.randn(1, 1, 3, 2)
mask = torch.tensor([[True, False, False], [False, False, False], [True, True, True]])
out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
print(out)
out.sum().backward()
print(q.grad, k.grad)
print(F.scaled_dot_product_attention(q[0], k[0], v[0], attn_mask=mask))
print(F.scaled_dot_product_attention(q, k, v, is_causal=True).grad_fn.name())
print(F.scaled_dot_product_attention(q, k, v, dropout_p=0.0, scale=0.5).grad_fn.name())
print(F.scaled_dot_product_attention(q, k, v, attn_mask=torch.zeros(1, 1, 3, 3)).grad_fn.name())
print(F.scaled_dot_product_attention(q, k, v, attn_mask=torch.zeros(1, 3, 3)).grad_fn.name())
try:
    F.scaled_dot_product_attention(q, k, v, attn_mask=torch.zeros(3))
except IndexError as e:
    print(e)
# %%
torch.manual_seed(0)
mha = nn.MultiheadAttention(4, 2, batch_first=True)
x = torch.randn(2, 3, 4, requires_grad=True)
kpm = torch.tensor([[False, False, True], [True, True, True]])
o, w = mha(x, x, x, key_padding_mask=kpm)
print(o[1], w[1])
o2, _ = mha(x, x, x, key_padding_mask=kpm, need_weights=False)
print(o2[1])
o2.sum().backward()
print(x.grad[1])
mha.eval()
with torch.no_grad():
    print(mha(x, x, x, key_padding_mask=kpm, need_weights=False)[0][1])
print(mha(x, x, x, key_padding_mask=kpm, need_weights=False)[0][1])
# %%
torch.manual_seed(0)
enc = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, batch_first=True)
y = enc(x, src_key_padding_mask=kpm)
print(y[1])
enc.eval()
with torch.no_grad():
    print(enc(x, src_key_padding_mask=kpm)[1])
# %%
from torch.nn.attention import SDPBackend, sdpa_kernel
print(SDPBackend.MATH, repr(SDPBackend.FLASH_ATTENTION), SDPBackend.MATH.value)
q4 = torch.randn(1, 2, 3, 4, requires_grad=True)
with sdpa_kernel(SDPBackend.MATH):
    print(F.scaled_dot_product_attention(q4, q4, q4).grad_fn.name())
with sdpa_kernel([SDPBackend.FLASH_ATTENTION, SDPBackend.MATH]):
    print(F.scaled_dot_product_attention(q4, q4, q4).grad_fn.name())
    print(F.scaled_dot_product_attention(q4, q4, q4, dropout_p=0.0, is_causal=True).grad_fn.name())
with sdpa_kernel(SDPBackend.EFFICIENT_ATTENTION):
    try:
        F.scaled_dot_product_attention(q4, q4, q4)
    except RuntimeError as e:
        print(e)
try:
    with sdpa_kernel("math"):
        pass
except AssertionError as e:
    print(e)
print(F.scaled_dot_product_attention(q4, q4, q4).grad_fn.name())
