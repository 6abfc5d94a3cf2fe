import torch
from torch import nn
import torch.distributions as D

class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(c, momentum=0.2)
        self.act = nn.LeakyReLU(0.1, inplace=True)
        self.drop = nn.Dropout2d(p=0.3)

    def forward(self, x):
        return self.drop(self.act(self.bn(self.conv(x)))) + x

net = nn.Sequential(nn.Conv2d(1, 8, 5, stride=2), Block(8), nn.ModuleList([Block(8), nn.Identity()]),
                    nn.AdaptiveMaxPool2d((1, 1)), nn.Flatten(), nn.Linear(8, 2), nn.LogSoftmax(dim=1))
print(net)
print(nn.ModuleDict({'enc': nn.GRU(4, 8, num_layers=2, batch_first=True, dropout=0.1), 'head': nn.Linear(8, 1, bias=False)}))
print(nn.LSTM(3, 5, bidirectional=True), nn.Embedding(10, 3, padding_idx=0), nn.LayerNorm([4, 4], elementwise_affine=False))
print(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16))
# %%
opt = torch.optim.AdamW(net.parameters(), lr=3e-4, weight_decay=0.05, betas=(0.9, 0.99))
print(opt)
opt2 = torch.optim.SGD([{'params': net[0].parameters()}, {'params': net[5].parameters(), 'lr': 0.1}], lr=0.01, momentum=0.9, nesterov=True)
print(opt2)
print(torch.optim.Adagrad(net.parameters()))
sched = torch.optim.lr_scheduler.StepLR(opt2, step_size=2, gamma=0.5)
print(type(sched).__name__, sched.get_last_lr())
# %%
for d in [D.Normal(torch.tensor(0.0), torch.tensor(1.0)), D.Normal(torch.zeros(3), 1.0), D.Bernoulli(probs=torch.tensor([0.3, 0.7])),
          D.Categorical(logits=torch.zeros(4)), D.Beta(torch.tensor(2.0), torch.tensor(3.0)), D.Gamma(2.0, 1.0),
          D.MultivariateNormal(torch.zeros(2), torch.eye(2)), D.Independent(D.Normal(torch.zeros(3), torch.ones(3)), 1),
          D.Uniform(-1.0, 1.0), D.Poisson(torch.tensor([1.0, 4.0])), D.Dirichlet(torch.ones(3)), D.Exponential(0.5),
          D.LogNormal(0.0, 0.5), D.StudentT(3.0), D.Laplace(0.0, 2.0), D.HalfNormal(1.0), D.Binomial(10, torch.tensor(0.4))]:
    print(d, d.batch_shape, d.event_shape)
# %%
D.Normal(torch.tensor([0.0]), torch.tensor([1.0])).sample((2,)).shape, D.Categorical(probs=torch.tensor([0.2, 0.8]))
