# ruff: noqa: F821
import torch
import torch.nn as nn
torch.manual_seed(41)

layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0, batch_first=True)
print(layer)
enc = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
x = torch.randn(2, 5, 8)
pad = torch.tensor([[False, False, False, False, False], [False, False, False, True, True]])
out = enc(x, src_key_padding_mask=pad)
print(out.shape, out.grad_fn is not None)
out[:, 0].sum().backward()
print(enc.layers[0].self_attn.in_proj_weight.grad.shape, enc.layers[1].linear2.bias.grad.shape)
numeric([out, enc.layers[0].linear1.weight.grad, enc.layers[1].norm2.weight.grad])
# %%
enc.eval()
causal = nn.Transformer.generate_square_subsequent_mask(5)
print(causal)
with torch.no_grad():
    o2 = enc(x, mask=causal)
print(o2.shape, o2.requires_grad)
numeric([o2])
