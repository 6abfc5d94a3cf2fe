import torch
def show(fn):
    try:
        r = fn()
        print("ok", r)
    except Exception as e:
        print(type(e).__name__, ":", e)
a = torch.zeros(3)
e = a.expand(2, 3)
show(lambda: e.add_(1))
show(lambda: e.copy_(torch.ones(2, 3)))
show(lambda: e.fill_(2))
show(lambda: e.mul_(3))
show(lambda: (a, e))
b = torch.zeros(1, 3).expand(4, 3)
show(lambda: b.masked_fill_(torch.eye(4, 3, dtype=torch.bool), 5))
show(lambda: b.clamp_(min=1))
show(lambda: torch.add(torch.ones(3), 1, out=e))
show(lambda: torch.zeros(2, 2).t().view(4))
c = torch.zeros(4)
show(lambda: c[:2].copy_(c[1:3]))
show(lambda: c)
d = torch.arange(4.0)
d[1:] = d[:-1]
show(lambda: d)
f = torch.arange(4.0)
f[1:] += f[:-1]
show(lambda: f)
g = torch.arange(5.0)
g[torch.tensor([0, 0, 1])] += 1
show(lambda: g)
h = torch.zeros(3)
h.index_put_((torch.tensor([0, 0]),), torch.tensor([1.0, 2.0]), accumulate=True)
show(lambda: h)
