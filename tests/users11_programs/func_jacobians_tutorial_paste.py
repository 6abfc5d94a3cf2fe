import torch
import torch.nn.functional as F
from functools import partial
_ = torch.manual_seed(0)


def predict(weight, bias, x):
    return F.linear(x, weight, bias).tanh()


D = 5
weight = torch.randn(D, D)
bias = torch.randn(D)
x = torch.randn(D)
xp = x.clone().requires_grad_()
unit_vectors = torch.eye(D)


def compute_jac(xp):
    jacobian_rows = [torch.autograd.grad(predict(weight, bias, xp), xp, vec)[0]
                     for vec in unit_vectors]
    return torch.stack(jacobian_rows)


jacobian = compute_jac(xp)
print(jacobian.shape)
print(jacobian[0])
numeric(jacobian)
# %%
from torch.func import vmap, vjp
_, vjp_fn = vjp(partial(predict, weight, bias), x)
ft_jacobian, = vmap(vjp_fn)(unit_vectors)
print(torch.allclose(ft_jacobian, jacobian))
from torch.func import jacrev
ft_jacobian = jacrev(predict, argnums=2)(weight, bias, x)
print(torch.allclose(ft_jacobian, jacobian), ft_jacobian.shape, ft_jacobian.dtype)
# %%
ft_jac_weight, ft_jac_bias = jacrev(predict, argnums=(0, 1))(weight, bias, x)
print(ft_jac_weight.shape, ft_jac_bias.shape)
expected = torch.stack([torch.autograd.grad(predict(weight, bias.clone().requires_grad_(), x)[i], [bias])[0] if False else
                        torch.autograd.functional.jacobian(lambda b: predict(weight, b, x), bias)[i] for i in range(D)])
print(torch.allclose(ft_jac_bias, expected))
numeric(ft_jac_weight)
# %%
from torch.func import jacfwd
Din, Dout = 3, 7
weight = torch.randn(Dout, Din)
bias = torch.randn(Dout)
x = torch.randn(Din)
print(weight.shape)
ft_jacobian = jacfwd(predict, argnums=2)(weight, bias, x)
rev = jacrev(predict, argnums=2)(weight, bias, x)
print(ft_jacobian.shape, torch.allclose(ft_jacobian, rev))
numeric(ft_jacobian)
# %%
from torch.func import hessian
Din, Dout = 4, 4
weight = torch.randn(Dout, Din)
bias = torch.randn(Dout)
x = torch.randn(Din)
hess_api = hessian(predict, argnums=2)(weight, bias, x)
hess_fwdfwd = jacfwd(jacfwd(predict, argnums=2), argnums=2)(weight, bias, x)
hess_revrev = jacrev(jacrev(predict, argnums=2), argnums=2)(weight, bias, x)
print(hess_api.shape, torch.allclose(hess_api, hess_fwdfwd), torch.allclose(hess_api, hess_revrev, atol=1e-6))
numeric(hess_api)
# %%
batch_size = 3
Din, Dout = 4, 2
weight = torch.randn(Dout, Din)
bias = torch.randn(Dout)
x = torch.randn(batch_size, Din)
compute_batch_jacobian = vmap(jacrev(predict, argnums=2), in_dims=(None, None, 0))
batch_jacobian0 = compute_batch_jacobian(weight, bias, x)
print(batch_jacobian0.shape)


def predict_with_output_summed(weight, bias, x):
    return predict(weight, bias, x).sum(0)


batch_jacobian1 = jacrev(predict_with_output_summed, argnums=2)(weight, bias, x).movedim(1, 0)
print(batch_jacobian1.shape, torch.allclose(batch_jacobian0, batch_jacobian1))
compute_batch_hessian = vmap(hessian(predict, argnums=2), in_dims=(None, None, 0))
batch_hess = compute_batch_hessian(weight, bias, x)
print(batch_hess.shape)
numeric(batch_hess)
# %%
from torch.func import jvp, grad


def hvp(f, primals, tangents):
    return jvp(grad(f), primals, tangents)[1]


def f(x):
    return x.sin().sum()


x = torch.randn(6)
tangent = torch.randn(6)
result = hvp(f, (x,), (tangent,))
print(result.shape)
numeric(result)
numeric(-x.sin() * tangent)


def vhp_rev(f, x, v):
    return vjp(grad(f), x)[1](v)


print(torch.allclose(vhp_rev(f, x, tangent)[0], result))
