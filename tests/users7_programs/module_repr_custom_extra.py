import torch
from torch import nn
from collections import OrderedDict

class Residual(nn.Module):
    def __init__(self, dim, scale=0.5):
        super().__init__()
        self.scale = scale
        self.body = nn.Sequential(OrderedDict([("fc1", nn.Linear(dim, dim)), ("act", nn.SiLU()), ("fc2", nn.Linear(dim, dim))]))
        self.register_buffer("calls", torch.zeros((), dtype=torch.long))

    def extra_repr(self):
        return f"scale={self.scale}"

    def forward(self, x):
        self.calls += 1
        return x + self.scale * self.body(x)

net = nn.Sequential(Residual(4), nn.LayerNorm(4), Residual(4, scale=0.1), nn.Linear(4, 2))
print(net)
print(net[0].body.fc1)
print(net[0].calls, [k for k in net.state_dict().keys()])
out = net(torch.ones(3, 4))
print(out.shape, net[0].calls, net[2].calls)
# %%
md = nn.ModuleDict({"enc": nn.Linear(2, 3), "dec": nn.Linear(3, 2)})
ml = nn.ModuleList([nn.ReLU(), nn.Tanh()])
pd = nn.ParameterDict({"alpha": nn.Parameter(torch.ones(1)), "beta": nn.Parameter(torch.zeros(2, 2))})
pl = nn.ParameterList([nn.Parameter(torch.ones(2)), nn.Parameter(torch.zeros(3, dtype=torch.float64))])
print(md)
print(ml)
print(pd)
print(pl)
print(len(md), "enc" in md, ml[1], list(pd.keys()))
# %%
print(nn.Linear(2, 3, bias=False), nn.ELU(alpha=0.5), nn.Hardtanh(-2, 2), nn.Softplus(beta=2))
print(nn.MSELoss(reduction="sum"), nn.CrossEntropyLoss(label_smoothing=0.1), nn.BCEWithLogitsLoss(), nn.NLLLoss(ignore_index=3))
print(nn.Conv2d(2, 4, 3, groups=2, padding="same", padding_mode="circular"), nn.Conv3d(1, 2, 2), nn.MaxPool1d(3, stride=2, ceil_mode=True))
print(nn.LSTM(2, 3, proj_size=2), nn.GRU(2, 3, bias=False, batch_first=True), nn.RNN(3, 4, nonlinearity="relu"))
print(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True, dropout=0.0))
print(nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False), nn.Unflatten(1, (2, 2)), nn.PReLU(), nn.Threshold(0.1, 20))
print(nn.GroupNorm(2, 4), nn.InstanceNorm1d(2), nn.Bilinear(2, 3, 4), nn.Embedding(10, 3, max_norm=1.0), nn.EmbeddingBag(10, 3, mode="sum"))
