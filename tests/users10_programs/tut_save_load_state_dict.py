import io
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


class TheModelClass(nn.Module):
    def __init__(self):
        super(TheModelClass, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


torch.manual_seed(0)
model = TheModelClass()
optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
print("Model's state_dict:")
for param_tensor in model.state_dict():
    print(param_tensor, "\t", model.state_dict()[param_tensor].size())
print("Optimizer's state_dict:")
for var_name in optimizer.state_dict():
    print(var_name, "\t", optimizer.state_dict()[var_name])
# %%
x = torch.randn(2, 3, 32, 32)
out = model(x)
out.sum().backward()
optimizer.step()
buf = io.BytesIO()
torch.save({'epoch': 3, 'model_state_dict': model.state_dict(),
            'optimizer_state_dict': optimizer.state_dict(), 'loss': 0.25}, buf)
buf.seek(0)
model2 = TheModelClass()
optimizer2 = optim.SGD(model2.parameters(), lr=0.5, momentum=0.1)
checkpoint = torch.load(buf, weights_only=True)
print(model2.load_state_dict(checkpoint['model_state_dict']))
optimizer2.load_state_dict(checkpoint['optimizer_state_dict'])
print(checkpoint['epoch'], checkpoint['loss'], optimizer2.param_groups[0]['lr'], optimizer2.param_groups[0]['momentum'])
model2.eval()
print(torch.equal(model2(x), model(x)))
print(sorted(optimizer2.state_dict()['state'].keys()))
numeric(optimizer2.state_dict()['state'][9]['momentum_buffer'])
# %%
sd = model.state_dict()
del sd['fc3.bias']
sd['extra.weight'] = torch.zeros(1)
try:
    model2.load_state_dict(sd)
except RuntimeError as e:
    print(e)
print(model2.load_state_dict(sd, strict=False))
