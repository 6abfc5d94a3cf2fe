import torch
from torch import nn
torch.manual_seed(0)
m = nn.Linear(2, 2)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=1)
print(sched)
# %%
print(torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10).state_dict())
# %%
print(repr(torch.nn.utils.parameters_to_vector(m.parameters()).shape), nn.utils.clip_grad_value_ if False else 1)
# %%
print(m.weight.grad, m.state_dict().keys(), list(m.buffers()), m.training)
# %%
print(m.__class__.__name__, str(m), m.extra_repr(), m._get_name())
# %%
print(dict(m.named_children()), list(nn.Sequential(nn.ReLU(), nn.Sequential(nn.Tanh())).named_modules()))
# %%
opt.zero_grad(set_to_none=False)
print(m.weight.grad)
# %%
print(opt.param_groups[0].keys())
# %%
print(torch.optim.Adam(m.parameters()).defaults)
# %%
print(nn.MSELoss(), nn.CrossEntropyLoss(label_smoothing=0.1, ignore_index=3), nn.BCEWithLogitsLoss(pos_weight=torch.ones(2)), nn.HuberLoss(delta=0.5))
# %%
print(nn.Dropout(0.2), nn.Softmax(dim=-1), nn.GELU(approximate='tanh'), nn.Upsample(scale_factor=2, mode='bilinear'), nn.Unflatten(1, (2, 2)), nn.PReLU(3))
# %%
print(nn.MultiheadAttention(8, 2, batch_first=True), nn.Conv1d(2, 4, 3, padding='same', padding_mode='reflect'), nn.ConvTranspose2d(3, 2, 2, stride=2, output_padding=1))
# %%
print(nn.RNN(3, 4, nonlinearity='relu'), nn.GRUCell(2, 3, bias=False), nn.LSTMCell(2, 3), nn.Embedding.from_pretrained(torch.eye(3), freeze=False))
# %%
print(nn.BatchNorm1d(3, affine=False, track_running_stats=False), nn.GroupNorm(2, 4), nn.InstanceNorm2d(3, affine=True), nn.LocalResponseNorm(2))
