import torch
torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
w = torch.randn(3, 3, requires_grad=True)
print(x)
for name, y in [("add", x + 1), ("sub", x - 1), ("mul", x * 2), ("div", x / 2), ("pow", x ** 2),
                ("exp", x.exp()), ("log", x.abs().log()), ("sin", x.sin()), ("tanh", x.tanh()),
                ("sigmoid", x.sigmoid()), ("relu", x.relu()), ("mm", w @ x), ("mv", torch.mv(w, x)),
                ("sum", x.sum()), ("mean", x.mean()), ("max", x.max()), ("view", x.view(3, 1)),
                ("T", w.t()), ("index", x[1:]), ("select", x[0]), ("cat", torch.cat([x, x])),
                ("stack", torch.stack([x, x])), ("neg", -x), ("abs", x.abs()), ("sqrt", x.abs().sqrt()),
                ("clamp", x.clamp(min=0)), ("where", torch.where(x > 0, x, 0.0)), ("norm", x.norm()),
                ("softmax", x.softmax(0)), ("logsumexp", x.logsumexp(0)), ("cumsum", x.cumsum(0)),
                ("expand", x[None].expand(2, 3)), ("unsqueeze", x.unsqueeze(0)), ("squeeze", x[None].squeeze()),
                ("permute", w.permute(1, 0)), ("reshape", w.reshape(9)), ("flatten", w.flatten()),
                ("diag", torch.diag(x)), ("outer", torch.outer(x, x)), ("dot", x.dot(x)),
                ("std", x.std()), ("var", x.var()), ("prod", x.prod()), ("trace", w.trace()),
                ("rsqrt", x.abs().rsqrt()), ("sign", x.sign()), ("clone", x.clone()), ("to64", x.double()),
                ("amax", w.amax(0)), ("min_dim", w.min(1).values), ("gather", x.gather(0, torch.tensor([0, 0]))),
                ("masked_fill", x.masked_fill(x > 0, 0.0)), ("repeat", x.repeat(2)), ("flip", x.flip(0)),
                ("roll", x.roll(1)), ("tril", w.tril()), ("einsum", torch.einsum("ij,j->i", w, x)),
                ("lerp", torch.lerp(x, x * 2, 0.5)), ("atan2", torch.atan2(x, x + 2)), ("erf", x.erf()),
                ("maximum", torch.maximum(x, -x)), ("log_softmax", x.log_softmax(0)), ("addmm", torch.addmm(w, w, w)),
                ("bmm", torch.bmm(w[None], w[None])), ("linear", torch.nn.functional.linear(x, w)),
                ("mse", torch.nn.functional.mse_loss(x, torch.zeros(3))), ("split", x.split(2)[0]),
                ("chunk", x.chunk(3)[1]), ("unbind", x.unbind()[0]), ("narrow", x.narrow(0, 1, 2))]:
    print(name, y.grad_fn.name() if y.grad_fn is not None else None)
# %%
print(x * 2)
print((x * 2).sum())
print(x.double().mean())
print(w.t())
print(x[0])
print(x.detach())
print(x.data)
print(torch.nn.Parameter(torch.ones(2)))
print(torch.nn.Parameter(torch.ones(2, dtype=torch.float64)))
print(torch.nn.Parameter(torch.ones(2), requires_grad=False))
print(torch.zeros(2, dtype=torch.float64, requires_grad=True))
print(torch.arange(3.0, requires_grad=True).long())
# %%
y = (x ** 2).sum()
print(y.grad_fn, y.grad_fn.next_functions)
print(x.grad_fn, x.is_leaf, y.is_leaf)
with torch.no_grad():
    print(x * 2)
print(torch.tensor(2.0, requires_grad=True) * torch.tensor(3.0))
