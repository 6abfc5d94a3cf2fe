import io
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.drop = nn.Dropout(0.25)
        self.fc = nn.Linear(4 * 2 * 2, 3)
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)
        x = self.drop(torch.flatten(x, 1))
        return self.fc(x)
net = Net()
print(net)
print([k for k in net.state_dict()])
x = torch.randn(5, 1, 4, 4)
target = torch.tensor([0, 1, 2, 1, 0])
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
net.train()
for step in range(3):
    opt.zero_grad()
    loss = F.cross_entropy(net(x), target)
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
print(net.bn.running_mean, net.bn.num_batches_tracked)
# %%
net.eval()
with torch.no_grad():
    out_eval = net(x)
print(out_eval.argmax(1), out_eval.shape, net.training, net.bn.training)
buf = io.BytesIO()
torch.save(net.state_dict(), buf)
buf.seek(0)
net2 = Net()
missing = net2.load_state_dict(torch.load(buf))
print(missing)
net2.eval()
with torch.no_grad():
    print(torch.allclose(net2(x), out_eval))
print(sum(p.numel() for p in net.parameters()), sum(p.numel() for p in net.parameters() if p.requires_grad))
# %%
sd = net.state_dict()
sd.pop("fc.bias")
print(net2.load_state_dict(sd, strict=False))
net2.load_state_dict(sd)
