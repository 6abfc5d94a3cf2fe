import torch
import torch.nn as nn

torch.manual_seed(0)
class RoundSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.round()
    @staticmethod
    def backward(ctx, g):
        return g

def quantize(x, scale, zero_point, qmin=-8, qmax=7):
    q = torch.clamp(RoundSTE.apply(x / scale) + zero_point, qmin, qmax)
    return (q - zero_point) * scale

x = torch.randn(8, requires_grad=True)
scale = torch.tensor(0.25, requires_grad=True)
xq = quantize(x, scale, 0)
print(xq, xq.grad_fn)
xq.sum().backward()
print(x.grad, scale.grad)
# %%
w = torch.randn(6, dtype=torch.float32, requires_grad=True)
fq = torch.fake_quantize_per_tensor_affine(w, 0.1, 0, -128, 127)
print(fq, fq.grad_fn)
(fq * torch.arange(6.0)).sum().backward()
print(w.grad)
w2 = torch.tensor([-20.0, -1.0, 0.04, 0.06, 12.8, 12.6], requires_grad=True)
fq2 = torch.fake_quantize_per_tensor_affine(w2, 0.1, 0, -128, 127)
fq2.sum().backward()
print(fq2, w2.grad)
# %%
class QLinear(nn.Linear):
    def forward(self, x):
        s = self.weight.detach().abs().max() / 7
        wq = self.weight + (torch.clamp(torch.round(self.weight / s), -8, 7) * s - self.weight).detach()
        return nn.functional.linear(x, wq, self.bias)

m = nn.Sequential(QLinear(4, 8), nn.ReLU(), QLinear(8, 1))
opt = torch.optim.SGD(m.parameters(), lr=0.1)
X = torch.randn(32, 4)
Y = X[:, :1] * 2 - X[:, 1:2]
for epoch in range(20):
    opt.zero_grad()
    loss = nn.functional.mse_loss(m(X), Y)
    loss.backward()
    opt.step()
    if epoch % 5 == 4:
        print(epoch, round(loss.item(), 5))
w = m[0].weight.detach()
s = w.abs().max() / 7
print(torch.unique(torch.clamp(torch.round(w / s), -8, 7)).numel() <= 16)
# %%
print(torch.clamp(torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5]).round(), -1, 1))
print(torch.round(torch.tensor([1.2345, -2.5551]), decimals=2))
