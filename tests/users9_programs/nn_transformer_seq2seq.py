import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                       dim_feedforward=16, dropout=0.0, batch_first=True)
src = torch.randn(2, 5, 8)
tgt = torch.randn(2, 4, 8)
tgt_mask = model.generate_square_subsequent_mask(4)
out = model(src, tgt, tgt_mask=tgt_mask, tgt_is_causal=True)
print(out.shape)
out.pow(2).mean().backward()
numeric(out)
numeric(model.decoder.layers[0].multihead_attn.in_proj_weight.grad)
dec_layer = nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, batch_first=True, norm_first=True)
y = dec_layer(tgt, src, tgt_mask=tgt_mask)
numeric(y)
print(type(model.encoder.norm).__name__, model.decoder.num_layers)
