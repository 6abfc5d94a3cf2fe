import sys, warnings
lib = __import__(sys.argv[1]); torch = lib
torch.manual_seed(0)
def show(m, x, ret=None, read_gin=True):
    def hook(mod, gin, gout):
        if read_gin:
            print(type(mod).__name__, 'gin', [None if g is None else tuple(g.shape) for g in gin], 'gout', [tuple(g.shape) for g in gout])
        else:
            print(type(mod).__name__, 'gout', [tuple(g.shape) for g in gout], gout[0].sum().item())
        return ret(gin) if ret else None
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        h = m.register_backward_hook(hook)
        y = m(x)
        try:
            y.sum().backward()
        except Exception as e:
            print('ERR', type(e).__name__, str(e)[:80])
        h.remove()
    for x_ in w: print('   WARN', x_.category.__name__, str(x_.message)[:100])
    return x.grad
show(torch.nn.ReLU(), torch.randn(2, 3, requires_grad=True))
print(show(torch.nn.ReLU(), torch.randn(2, 3, requires_grad=True), ret=lambda gin: (gin[0].clamp(min=0) * 3,)))
x = torch.randn(2, 3, requires_grad=True); y = x * 1.0
show(torch.nn.Tanh(), y)
show(torch.nn.Linear(3, 4), torch.randn(2, 3, requires_grad=True), read_gin=False)
show(torch.nn.Conv2d(1, 2, 3), torch.randn(1, 1, 5, 5, requires_grad=True), read_gin=False)
show(torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.ReLU()), torch.randn(2, 3, requires_grad=True))
m = torch.nn.ReLU(); m.register_full_backward_hook(lambda *a: None)
try: m.register_backward_hook(lambda *a: None)
except Exception as e: print(type(e).__name__, e)
m = torch.nn.ReLU(); m.register_backward_hook(lambda *a: None)
try: m.register_full_backward_hook(lambda *a: None)
except Exception as e: print(type(e).__name__, e)
