import torch
from torch.autograd.functional import hvp, vhp, hessian, jacobian, jvp as ajvp, vjp as avjp
from torch.func import grad, jacfwd, jacrev
torch.manual_seed(0)


def pow_reducer(x):
    return x.pow(3).sum()


inputs = torch.rand(2, 2)
v = torch.ones(2, 2)
print(hvp(pow_reducer, inputs, v))
print(vhp(pow_reducer, inputs, v))
# %%
def pow_adder_reducer(x, y):
    return (2 * x.pow(2) + 3 * y.pow(2)).sum()


inputs = (torch.rand(2), torch.rand(2))
v = (torch.zeros(2), torch.ones(2))
out, res = hvp(pow_adder_reducer, inputs, v)
print(out, res)
out, res = vhp(pow_adder_reducer, inputs, v, create_graph=True)
print(res)
print(hessian(pow_adder_reducer, inputs))
# %%
def exp_reducer(x):
    return x.exp().sum(dim=1)


inputs = torch.rand(4, 4)
v = torch.ones(4)
print(ajvp(exp_reducer, inputs, torch.ones(4, 4))[1])
print(avjp(exp_reducer, inputs, v)[1])
J = jacobian(exp_reducer, inputs, vectorize=True, strategy="forward-mode")
print(J.shape)
numeric(J)
# %%
hvp(lambda x: x.pow(3), torch.ones(2), torch.ones(2))
# %%
vhp(pow_reducer, torch.ones(2), torch.ones(3))
# %%
def f(x):
    return torch.sin(x).sum() * x.norm()


x = torch.randn(5)
t = torch.randn(5)


def hvp_revrev(f, primals, tangents):
    _, vjp_fn = torch.func.vjp(grad(f), *primals)
    return vjp_fn(*tangents)


def hvp_fwdrev(f, primals, tangents):
    return torch.func.jvp(grad(f), primals, tangents)[1]


a = hvp_revrev(f, (x,), (t,))[0]
b = hvp_fwdrev(f, (x,), (t,))
c = jacfwd(jacrev(f))(x) @ t
d = hvp(f, x, t)[1]
print(torch.allclose(a, b, atol=1e-5), torch.allclose(a, c, atol=1e-5), torch.allclose(a, d, atol=1e-5))
numeric(a); numeric(b)
# %%
H = hessian(f, x, create_graph=True, vectorize=True)
print(H.requires_grad, H.shape)
xs = x.clone().requires_grad_()
Hx = hessian(f, xs, create_graph=True)
print(Hx.grad_fn is not None)
Hx.trace().backward()
numeric(xs.grad)
# %%
batched = torch.func.vmap(hvp_fwdrev.__get__ if False else (lambda xi, ti: hvp_fwdrev(f, (xi,), (ti,))))(torch.randn(3, 5), torch.randn(3, 5))
print(batched.shape)
numeric(batched)
