import torch
from torch import nn
import torch.nn.functional as F
torch.manual_seed(0)

class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 8, 3)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(8 * 3 * 3, 3)

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        x = F.relu(self.conv2(x))
        x = torch.flatten(x, 1)
        return self.fc(x)

net = SmallCNN()
x = torch.randn(16, 1, 10, 10)
y = torch.randint(0, 3, (16,))
print(net(x).shape)
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
for epoch in range(8):
    opt.zero_grad()
    out = net(x)
    loss = F.cross_entropy(out, y)
    loss.backward()
    opt.step()
    acc = (out.argmax(1) == y).float().mean()
    print(epoch, round(loss.item(), 4), acc.item())
# %%
print(net.bn1.running_mean.round(decimals=4))
print(net.bn1.running_var.round(decimals=4))
print(net.bn1.num_batches_tracked)
net.eval()
with torch.no_grad():
    e1 = net(x[:4])
    e2 = net(x[:2])
print(torch.allclose(e1[:2], e2, atol=1e-6))
print(net.training, net.bn1.training)
net.train()
print(net.bn1.training)
# %%
print(net.conv1.weight.grad.shape, net.conv1.weight.grad.abs().sum().round(decimals=3))
print(net.bn1.weight.grad.round(decimals=4))
print(net.fc.bias.grad.round(decimals=4))
# %%
# maxpool with indices and unpool
mp = nn.MaxPool2d(2, return_indices=True)
inp = torch.arange(16.0).reshape(1, 1, 4, 4).requires_grad_()
o, idx = mp(inp)
print(o, idx)
up = nn.MaxUnpool2d(2)(o, idx)
print(up)
o.sum().backward()
print(inp.grad)
