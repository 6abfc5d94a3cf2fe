import torch
from torch import nn
model = nn.Sequential(
    nn.Conv2d(1, 8, kernel_size=3, padding=1, bias=False),
    nn.BatchNorm2d(8),
    nn.ReLU(inplace=True),
    nn.MaxPool2d(2),
    nn.Dropout(p=0.25),
    nn.Flatten(),
    nn.Linear(8 * 4 * 4, 10),
    nn.LogSoftmax(dim=1),
)
print(model)
model
# %%
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 16, padding_idx=0)
        self.rnn = nn.GRU(16, 32, num_layers=2, batch_first=True, dropout=0.1)
        self.lstm = nn.LSTM(32, 8, bidirectional=True)
        self.norm = nn.LayerNorm(16, eps=1e-6)
        self.attn = nn.MultiheadAttention(16, 4, batch_first=True)
        self.heads = nn.ModuleList([nn.Linear(32, 2) for _ in range(2)])
        self.scale = nn.Parameter(torch.ones(1))
        self.gelu = nn.GELU(approximate="tanh")
        self.lrelu = nn.LeakyReLU(0.2)
        self.pool = nn.AdaptiveAvgPool1d(1)
        self.c1 = nn.Conv1d(4, 6, 5, stride=2, dilation=2, groups=2)
        self.bn1 = nn.BatchNorm1d(6, momentum=None, affine=False)
        self.soft = nn.Softmax(dim=-1)
        self.id = nn.Identity()
        self.ct = nn.ConvTranspose2d(3, 2, 3, stride=2, output_padding=1)
        self.ap = nn.AvgPool2d(2, stride=1)
        self.pdict = nn.ParameterDict({"a": nn.Parameter(torch.zeros(2))})
net = Net()
print(net)
print(net.scale)
print(nn.Linear(2, 3, bias=False), nn.ELU(alpha=0.5), nn.Hardtanh(-2, 2), nn.Softplus(beta=2))
print(nn.MSELoss(reduction="sum"), nn.CrossEntropyLoss(label_smoothing=0.1), nn.BCEWithLogitsLoss())
# %%
print(sum(p.numel() for p in net.parameters()))
print([n for n, _ in net.named_parameters()][:10])
print([n for n, _ in net.named_buffers()])
# %%
opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
print(opt)
opt2 = torch.optim.SGD([{"params": net.emb.parameters()}, {"params": net.heads.parameters(), "lr": 0.1}], lr=0.01, momentum=0.9)
print(opt2)
print(torch.optim.AdamW(net.parameters()))
print(torch.optim.RMSprop(net.parameters(), lr=0.01))
