import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian, vmap, functional_call

x = torch.tensor([0.3, -1.2, 2.0])
print(grad(torch.sin)(torch.tensor(0.5)), torch.cos(torch.tensor(0.5)))
print(grad(grad(torch.sin))(torch.tensor(0.5)))
def f(x):
    return (x.sin() ** 2).sum()
g, v = grad_and_value(f)(x)
print(g, v)
def f2(x, y):
    return (x * y).sum(), x.detach()
(gx, gy), aux = grad(f2, argnums=(0, 1), has_aux=True)(x, x + 1)
print(gx, gy, aux)
# %%
out, vjp_fn = vjp(torch.sin, x)
print(out, vjp_fn(torch.ones(3)))
out, tangent = jvp(torch.sin, (x,), (torch.ones(3),))
print(out, tangent)
# %%
def predict(weight, bias, x):
    return F.linear(x, weight, bias).tanh()
D = 4
weight = torch.tensor([[0.1 * (i - j) for j in range(D)] for i in range(D)])
bias = torch.tensor([0.1, -0.2, 0.3, 0.0])
xx = torch.tensor([0.5, -0.5, 1.0, 2.0])
jacobian = jacrev(predict, argnums=2)(weight, bias, xx)
print(jacobian.shape)
print(jacobian)
jacobian_f = jacfwd(predict, argnums=2)(weight, bias, xx)
torch.testing.assert_close(jacobian, jacobian_f)
ft_jac_weight, ft_jac_bias = jacrev(predict, argnums=(0, 1))(weight, bias, xx)
print(ft_jac_weight.shape, ft_jac_bias.shape)
print(ft_jac_bias)
hess_api = hessian(predict, argnums=2)(weight, bias, xx)
hess_fwdfwd = jacfwd(jacfwd(predict, argnums=2), argnums=2)(weight, bias, xx)
hess_revrev = jacrev(jacrev(predict, argnums=2), argnums=2)(weight, bias, xx)
torch.testing.assert_close(hess_api, hess_fwdfwd)
torch.testing.assert_close(hess_api, hess_revrev)
print(hess_api.shape)
numeric(hess_api)
# %%
batch_size = 3
xs = torch.stack([xx, xx * 2, -xx])
compute_batch_jacobian = vmap(jacrev(predict, argnums=2), in_dims=(None, None, 0))
batch_jacobian0 = compute_batch_jacobian(weight, bias, xs)
print(batch_jacobian0.shape)
def predict_with_output_summed(weight, bias, x):
    return predict(weight, bias, x).sum(0)
batch_jacobian1 = jacrev(predict_with_output_summed, argnums=2)(weight, bias, xs).movedim(1, 0)
torch.testing.assert_close(batch_jacobian0, batch_jacobian1)
compute_batch_hessian = vmap(hessian(predict, argnums=2), in_dims=(None, None, 0))
print(compute_batch_hessian(weight, bias, xs).shape)
# %%
def hvp(f, primals, tangents):
    return jvp(grad(f), primals, tangents)[1]
def f(x):
    return x.sin().sum()
tangent = torch.tensor([1.0, 0.5, -1.0])
print(hvp(f, (x,), (tangent,)))
# %%
print(vmap(torch.dot)(torch.ones(2, 3), torch.arange(6.).reshape(2, 3)))
print(vmap(lambda a: a.sum(0), in_dims=1, out_dims=0)(torch.arange(12.).reshape(3, 4)))
print(vmap(lambda a, b: a * b, in_dims=(0, None))(torch.arange(6.).reshape(3, 2), torch.tensor([1., 10.])))
print(vmap(lambda a: (a, a * 2), out_dims=(0, 1))(torch.arange(6.).reshape(3, 2))[1])
print(vmap(torch.sin, chunk_size=2)(torch.arange(6.).reshape(3, 2)))
print(vmap(vmap(torch.mul))(torch.ones(2, 3), torch.arange(6.).reshape(2, 3)))
print(vmap(lambda d: d['a'] + d['b'])({'a': torch.ones(3), 'b': torch.arange(3.)}))
# %%
vmap(torch.sin, in_dims=1)(torch.ones(2))
# %%
vmap(lambda a, b: a + b)(torch.ones(2), torch.ones(3))
# %%
model = nn.Linear(3, 2)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.1, 0.2, 0.3], [-0.3, 0.2, 0.1]]))
    model.bias.copy_(torch.tensor([0.05, -0.05]))
params = {k: v.detach() for k, v in model.named_parameters()}
inp = torch.tensor([[1., 2., 3.], [0., -1., 1.]])
print(functional_call(model, params, (inp,)))
new = {k: v * 2 for k, v in params.items()}
print(functional_call(model, new, inp))
def loss_fn(params, x):
    return functional_call(model, params, (x,)).pow(2).sum()
grads = grad(loss_fn)(params, inp)
print(grads)
print(model.weight)
