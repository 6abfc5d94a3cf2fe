import torch
import torch.nn as nn
import torch.nn.functional as F
import numpy as np
rng = np.random.default_rng(0)

class Net(nn.Module):

    def __init__(self):
        super(Net, self).__init__()
        # 1 input image channel, 6 output channels, 5x5 square convolution
        # kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        # an affine operation: y = Wx + b
        self.fc1 = nn.Linear(16 * 5 * 5, 120)  # 5*5 from image dimension
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, input):
        c1 = F.relu(self.conv1(input))
        s2 = F.max_pool2d(c1, (2, 2))
        c3 = F.relu(self.conv2(s2))
        s4 = F.max_pool2d(c3, 2)
        s4 = torch.flatten(s4, 1)
        f5 = F.relu(self.fc1(s4))
        f6 = F.relu(self.fc2(f5))
        output = self.fc3(f6)
        return output


net = Net()
with torch.no_grad():
    for p in net.parameters():
        p.copy_(torch.tensor(rng.normal(size=tuple(p.shape)) * 0.1, dtype=torch.float32))
print(net)
# %%
params = list(net.parameters())
print(len(params))
print(params[0].size())  # conv1's .weight
# %%
input = torch.tensor(rng.normal(size=(1, 1, 32, 32)), dtype=torch.float32)
out = net(input)
numeric(out)
print(out.shape, out.grad_fn)
# %%
net.zero_grad()
out.backward(torch.tensor(rng.normal(size=(1, 10)), dtype=torch.float32))
numeric(net.conv1.bias.grad)
# %%
output = net(input)
target = torch.tensor(rng.normal(size=10), dtype=torch.float32)  # a dummy target, for example
target = target.view(1, -1)  # make it the same shape as output
criterion = nn.MSELoss()

loss = criterion(output, target)
numeric(loss)
# %%
print(loss.grad_fn)  # MSELoss
print(loss.grad_fn.next_functions[0][0])  # Linear
print(loss.grad_fn.next_functions[0][0].next_functions[0][0])  # ReLU
# %%
net.zero_grad()     # zeroes the gradient buffers of all parameters

print('conv1.bias.grad before backward')
print(net.conv1.bias.grad)

loss.backward()

print('conv1.bias.grad after backward')
numeric(net.conv1.bias.grad)
# %%
learning_rate = 0.01
for f in net.parameters():
    f.data.sub_(f.grad.data * learning_rate)
numeric(net.fc3.bias)
# %%
import torch.optim as optim

# create your optimizer
optimizer = optim.SGD(net.parameters(), lr=0.01)

# in your training loop:
for i in range(3):
    optimizer.zero_grad()   # zero the gradient buffers
    output = net(input)
    loss = criterion(output, target)
    loss.backward()
    optimizer.step()    # Does the update
    numeric(loss)
