import torch
import torch.nn as nn
torch.manual_seed(0)


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)
        self.bn = nn.BatchNorm2d(2)
        self.fc = nn.Linear(8, 3)
        self.emb = nn.Embedding(4, 3)
        self.rnn = nn.LSTM(3, 2)

    def forward(self, x):
        return self.fc(self.bn(self.conv(x)).flatten(1))


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


net = ConvNet()
net.apply(weights_init)
numeric(net.conv.weight)
numeric(net.bn.weight)
# %%
torch.manual_seed(1)


def init_all(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        nn.init.zeros_(m.bias)
    elif isinstance(m, nn.Embedding):
        nn.init.trunc_normal_(m.weight, std=0.5, a=-0.6, b=0.6)
    elif isinstance(m, nn.LSTM):
        for name, p in m.named_parameters():
            if "weight_hh" in name:
                nn.init.orthogonal_(p)
            elif "weight_ih" in name:
                nn.init.xavier_normal_(p)
            else:
                nn.init.zeros_(p)
                p.data[m.hidden_size:2 * m.hidden_size] = 1.0


net.apply(init_all)
numeric(net.fc.weight)
numeric(net.emb.weight)
numeric(net.rnn.weight_hh_l0)
numeric(net.rnn.weight_ih_l0)
print(net.rnn.bias_ih_l0)
# %%
torch.manual_seed(2)
w = torch.empty(3, 5)
print(nn.init.uniform_(w, -1, 1) is w)
numeric(nn.init.kaiming_uniform_(torch.empty(4, 3), a=5 ** 0.5))
numeric(nn.init.xavier_uniform_(torch.empty(2, 3, 3), gain=2.0))
numeric(nn.init.sparse_(torch.empty(4, 3), sparsity=0.5, std=0.1))
numeric(nn.init.eye_(torch.empty(2, 3)))
numeric(nn.init.dirac_(torch.empty(2, 2, 3)))
numeric(nn.init.normal_(torch.empty(3), mean=2.0, std=0.0))
numeric(nn.init.ones_(torch.empty(2)))
# %%
nn.init.kaiming_normal_(torch.empty(3))
# %%
nn.init.orthogonal_(torch.empty(3))
# %%
nn.init.eye_(torch.empty(2, 2, 2))
# %%
nn.init.calculate_gain("tanhh")
# %%
with torch.no_grad():
    p = nn.Parameter(torch.ones(2))
    p.mul_(3)
print(p)
nn.init.constant_(p, 0.5)
print(p, p.requires_grad)
