import torch
import torch.nn as nn

class RunningNorm(nn.Module):
    def __init__(self, n, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("mean", torch.zeros(n))
        self.register_buffer("var", torch.ones(n))
        self.register_buffer("steps", torch.tensor(0, dtype=torch.long))
        self.register_buffer("scratch", torch.zeros(n), persistent=False)
        self.scale = nn.Parameter(torch.ones(n))

    def forward(self, x):
        if self.training:
            with torch.no_grad():
                self.mean.mul_(1 - self.momentum).add_(self.momentum * x.mean(0))
                self.var.mul_(1 - self.momentum).add_(self.momentum * x.var(0))
                self.steps += 1
        return self.scale * (x - self.mean) / (self.var + 1e-5).sqrt()

m = RunningNorm(3)
print(m)
print(list(m.state_dict().keys()))
print([n for n, _ in m.named_buffers()], [n for n, _ in m.named_parameters()])
x = torch.arange(12.0).reshape(4, 3)
for _ in range(3):
    out = m(x)
print(m.mean, m.var, m.steps)
m.eval()
print(m(x))
# %%
sd = m.state_dict()
m2 = RunningNorm(3)
print(m2.load_state_dict(sd))
print(torch.equal(m2.mean, m.mean), m2.steps)
sd_extra = dict(sd)
sd_extra["bogus"] = torch.zeros(1)
del sd_extra["var"]
try:
    m2.load_state_dict(sd_extra)
except RuntimeError as e:
    print(e)
res = m2.load_state_dict(sd_extra, strict=False)
print(res.missing_keys, res.unexpected_keys)
print(res)
# %%
bad = dict(sd)
bad["mean"] = torch.zeros(4)
try:
    m2.load_state_dict(bad)
except RuntimeError as e:
    print(e)
try:
    m2.register_buffer("mean", torch.zeros(3))
except KeyError as e:
    print("KeyError", e)
try:
    m2.register_buffer("a.b", torch.zeros(3))
except KeyError as e:
    print("KeyError", e)
m2.register_buffer("mean2", None)
print(list(m2.state_dict().keys()), m2.mean2)
