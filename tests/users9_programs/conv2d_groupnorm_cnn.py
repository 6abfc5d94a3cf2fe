import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.GroupNorm(4, 8), nn.SiLU(),
    nn.Conv2d(8, 8, 3, padding=1, groups=8), nn.BatchNorm2d(8), nn.ReLU(),
    nn.MaxPool2d(2), nn.Conv2d(8, 4, 1), nn.AdaptiveMaxPool2d((1, 1)), nn.Flatten())
x = torch.randn(2, 3, 8, 8)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
target = torch.tensor([1, 3])
for step in range(3):
    opt.zero_grad()
    out = model(x)
    loss = nn.functional.cross_entropy(out, target)
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
print(model[4].running_mean)
print(model[4].num_batches_tracked)
numeric(model[1].weight.grad)
numeric(model[0].weight)
model.eval()
numeric(model(x))
