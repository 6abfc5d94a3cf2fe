import torch
import torch.nn as nn
torch.manual_seed(17)
mha = nn.MultiheadAttention(4, 2, batch_first=True)
x = torch.randn(2, 3, 4)
kpm = torch.tensor([[False, False, True], [False, False, False]])
float_mask = torch.zeros(3, 3)
o, w = mha(x, x, x, key_padding_mask=kpm, attn_mask=float_mask)
print(w[0])
# %%
o, w = mha(x, x, x, key_padding_mask=kpm.float() * -1e9)
print(w[0])
# %%
enc = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, batch_first=True)
print(enc(x, src_key_padding_mask=kpm, src_mask=torch.zeros(3, 3)).shape)
# %%
enc(x, src_key_padding_mask=kpm.long())
# %%
mha(x, x, x, attn_mask=torch.zeros(3, 3, dtype=torch.long))
# %%
mha(x, x[:, :2], x)
# %%
mha(x, torch.randn(2, 3, 5), torch.randn(2, 3, 5))
# %%
nn.TransformerEncoderLayer(4, 3)
# %%
mha(x[0], x, x)
# %%
mha(x, x, x, key_padding_mask=kpm[:, :2])
