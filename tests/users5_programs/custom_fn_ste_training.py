import torch
# custom function with ctx attributes and saved non-tensors, used in training
class RoundSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        ctx.scale = scale
        return torch.round(x * scale) / scale
    @staticmethod
    def backward(ctx, g):
        return g, None
class QLinear(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(3, 2)
    def forward(self, x):
        w = RoundSTE.apply(self.lin.weight, 4.0)
        return torch.nn.functional.linear(x, w, self.lin.bias)
torch.manual_seed(2)
m = QLinear()
opt = torch.optim.SGD(m.parameters(), lr=0.1)
x = torch.randn(5, 3)
for i in range(3):
    opt.zero_grad()
    l = m(x).pow(2).mean()
    l.backward()
    opt.step()
    print(i, f"{l.item():.6f}")
print(m(x).grad_fn.name(), m(x).grad_fn.next_functions[1][0].name() if len(m(x).grad_fn.next_functions) > 1 else None)
# %%
class Identity2(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        return a.clone(), b.clone()
    @staticmethod
    def backward(ctx, ga, gb):
        return ga, gb
a = torch.ones(2, requires_grad=True)
b = torch.ones(2)
oa, ob = Identity2.apply(a, b)
print(oa.requires_grad, ob.requires_grad, ob.grad_fn is None)
oa.sum().backward()
print(a.grad)
