# ruff: noqa: F821
import torch
import torch.nn as nn
torch.manual_seed(63)

print(nn.Conv2d(3, 8, (3, 5), stride=(2, 1), padding=(1, 2), bias=False))
print(nn.Conv1d(4, 4, 3, groups=2, padding_mode="circular", padding=1))
print(nn.ConvTranspose1d(2, 3, 4, stride=2, output_padding=1))
print(nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), nn.AvgPool1d(2, count_include_pad=False))
print(nn.BatchNorm2d(4, momentum=None, affine=False), nn.LayerNorm([3, 4], elementwise_affine=False, bias=False))
print(nn.Dropout(0.25, inplace=True), nn.LeakyReLU(0.2), nn.ELU(alpha=0.5), nn.Softplus(beta=2), nn.Hardtanh(-2, 2))
print(nn.Embedding(10, 3, padding_idx=0, max_norm=2.0, sparse=False), nn.EmbeddingBag(5, 2, mode="max"))
print(nn.GRU(2, 3, num_layers=2, dropout=0.1, batch_first=True), nn.RNNCell(2, 3, bias=False))
print(nn.CrossEntropyLoss(weight=torch.ones(3), ignore_index=1), nn.BCEWithLogitsLoss(pos_weight=torch.ones(2)))
print(nn.MultiheadAttention(4, 2, dropout=0.1, bias=False), nn.Transformer(d_model=4, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=8).encoder.layers[0].linear1)
print(nn.GroupNorm(2, 4, eps=1e-3), nn.InstanceNorm2d(3, track_running_stats=True), nn.PReLU(3, init=0.1))
print(nn.Threshold(0.1, 20), nn.GLU(dim=-1), nn.Softmax(dim=None), nn.Tanhshrink(), nn.Hardshrink(0.3), nn.RReLU(0.1, 0.3))
print(nn.AdaptiveMaxPool2d((2, None)), nn.AdaptiveAvgPool1d(4), nn.LPPool1d(2, 3), nn.Upsample(size=4, mode="nearest"))
# %%
m = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.Linear(2, 1)))
print(m)
print(repr(m[1]))
for name, mod in m.named_modules():
    print(repr(name), type(mod).__name__)
print(m.state_dict().keys())
p = nn.Parameter(torch.tensor([1.0, 2.0]))
print(p, repr(p), str(p.data), p * 2)
print(nn.Parameter(torch.ones(2), requires_grad=False))
print(nn.ParameterList([nn.Parameter(torch.ones(2)), nn.Parameter(torch.zeros(1, 3))]))
print(nn.ModuleDict({"a": nn.Tanh(), "b": nn.Linear(1, 1)}))
