import torch
class Old(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x): return x * 2
    @staticmethod
    def backward(ctx, g): return g * 2
for name, fn in [('grad', lambda: torch.func.grad(lambda x: Old.apply(x).sum())(torch.ones(2))),
                 ('vmap', lambda: torch.func.vmap(lambda x: Old.apply(x) + 1)(torch.ones(2, 2))),
                 ('jacrev', lambda: torch.func.jacrev(Old.apply)(torch.ones(2))),
                 ('jvp', lambda: torch.func.jvp(Old.apply, (torch.ones(2),), (torch.ones(2),))),
                 ('autograd.functional', lambda: torch.autograd.functional.jacobian(Old.apply, torch.ones(2)))]:
    try: print(name, fn())
    except Exception as e: print(name, type(e).__name__, str(e)[:80])
class New(torch.autograd.Function):
    @staticmethod
    def forward(x): return x * 2
    @staticmethod
    def setup_context(ctx, inputs, output): pass
    @staticmethod
    def backward(ctx, g): return g * 2
try: print(torch.func.vmap(lambda x: New.apply(x) + 1)(torch.ones(2, 2)))
except Exception as e: print(type(e).__name__, str(e)[:300])
print(torch.func.grad(lambda x: New.apply(x).sum())(torch.ones(2)))
