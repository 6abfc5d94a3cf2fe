import torch
import torch.nn as nn
import numpy as np
rng = np.random.default_rng(0)
X = torch.tensor(rng.normal(size=(32, 4)), dtype=torch.float32)
Y = torch.tensor(rng.normal(size=(32, 1)), dtype=torch.float32)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 1)
    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))
net = Net()
with torch.no_grad():
    for p in net.parameters():
        p.copy_(torch.tensor(rng.normal(size=tuple(p.shape)) * 0.3, dtype=torch.float32))
opt = torch.optim.Adam(net.parameters(), lr=1e-2)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
lossf = nn.MSELoss()
for ep in range(30):
    opt.zero_grad()
    loss = lossf(net(X), Y)
    loss.backward()
    opt.step()
    sched.step()
    if ep % 10 == 0:
        print(ep, round(loss.item(), 5), sched.get_last_lr())
print(net)
print(net.fc1.weight.grad.shape, net.fc2.bias)
print(sum(p.numel() for p in net.parameters()))
