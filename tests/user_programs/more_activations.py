import torch
import torch.nn as nn
import torch.nn.functional as F
for m in [nn.PReLU(), nn.PReLU(3, 0.1), nn.SELU(), nn.CELU(0.5), nn.Mish(), nn.Hardswish(), nn.Hardsigmoid(), nn.Softshrink(),
          nn.Hardshrink(0.3), nn.Tanhshrink(), nn.Threshold(0.1, 20.), nn.GLU(), nn.PairwiseDistance(), nn.GaussianNLLLoss(),
          nn.PoissonNLLLoss(), nn.SELU(inplace=True), nn.Mish(inplace=True)]:
    print(repr(m), [(n, p) for n, p in m.named_parameters()])
x = torch.tensor([[-2.0, -0.3, 0.4, 3.0], [1.0, -1.0, 0.5, -4.0], [0.2, 0.1, -0.7, 2.5]], requires_grad=True)
net = nn.Sequential(nn.Linear(4, 3), nn.PReLU(3), nn.Linear(3, 4), nn.SELU(), nn.Linear(4, 2), nn.Mish())
with torch.no_grad():
    for i, p in enumerate(net.parameters()):
        p.copy_(torch.linspace(-0.4, 0.6, p.numel()).reshape(p.shape) * (1 + 0.1 * i))
y = net(x)
print(y)
loss = nn.GaussianNLLLoss()(y[:, 0], torch.tensor([0.1, 0.2, 0.3]), y[:, 1].abs() + 0.1) + nn.PoissonNLLLoss()(y[:, 0], torch.tensor([1.0, 2.0, 0.0]))
loss.backward()
print(loss)
print(net[1].weight.grad, x.grad)
print(nn.PairwiseDistance(p=1)(x, x.flip(0)), F.glu(x, dim=1), nn.Hardswish()(x * 2), nn.Threshold(0.0, -1.0)(x))
