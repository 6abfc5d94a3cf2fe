import torch
from torch.func import vmap
# vmap over bound methods: each instance's / each Function's own
x = torch.tensor([0.0, 1.0, 2.0], dtype=torch.float64)
class Scaler:
    def __init__(self, k):
        self.k = k
    def f(self, v):
        return v * self.k + 1
for k in (2.0, 3.0, -1.0):
    print(k, vmap(Scaler(k).f)(x))
def make(fn):
    class Elementwise(torch.autograd.Function):
        generate_vmap_rule = True
        @staticmethod
        def forward(v):
            return fn(v)
        @staticmethod
        def setup_context(ctx, inputs, output):
            pass
        @staticmethod
        def backward(ctx, g):
            return g
    return Elementwise
for fn in (torch.sin, torch.cos, torch.exp):
    print(vmap(make(fn).apply)(x))
# %%
class Plain(torch.autograd.Function):
    @staticmethod
    def forward(v):
        return v * 2
    @staticmethod
    def setup_context(ctx, inputs, output):
        pass
    @staticmethod
    def backward(ctx, g):
        return g * 2
try:
    vmap(Plain.apply)(x)
except RuntimeError as e:
    print(type(e).__name__, str(e)[:60])
print(vmap(make(torch.tanh).apply)(x))
