import io
import os
import tempfile
import torch
import torch.nn as nn
d = tempfile.mkdtemp()
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
torch.save({'a': x, 'b': y.detach(), 'n': 3, 'l': [torch.tensor(1), 2.5]}, os.path.join(d, 't.pt'))
print(torch.load(os.path.join(d, 't.pt')))
buf = io.BytesIO()
torch.save(x, buf)
buf.seek(0)
print(torch.load(buf))
torch.save(y, os.path.join(d, 'y.pt'))
print(torch.load(os.path.join(d, 'y.pt')))
net = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
with torch.no_grad():
    for p in net.parameters():
        p.fill_(0.25)
opt = torch.optim.Adam(net.parameters(), lr=0.1)
net(torch.ones(1, 2)).sum().backward()
opt.step()
torch.save({'model': net.state_dict(), 'opt': opt.state_dict(), 'epoch': 3}, os.path.join(d, 'ckpt.pt'))
ck = torch.load(os.path.join(d, 'ckpt.pt'), map_location='cpu')
net2 = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
print(net2.load_state_dict(ck['model']))
opt2 = torch.optim.Adam(net2.parameters(), lr=0.1)
opt2.load_state_dict(ck['opt'])
print(ck['epoch'], list(ck['model'].keys()), opt2.state_dict()['param_groups'][0]['lr'])
print(torch.equal(net2(torch.ones(1, 2)), net(torch.ones(1, 2))))
torch.save(net, os.path.join(d, 'net.pt'))
net3 = torch.load(os.path.join(d, 'net.pt'), weights_only=False)
print(isinstance(net3[0].weight, nn.Parameter), len(list(net3.parameters())), net3)
