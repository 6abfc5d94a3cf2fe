import torch

torch.manual_seed(0)
x = torch.randn(6) * 3
h = x.half()
print(h, h.dtype, h.element_size())
print(h * 0.1)
print(0.1 * h, h / 3, h / 0.7, 3 / h)
print(h // 0.3, h % 0.3)
print(h.abs() ** 0.5, h ** 2, h ** 3, h.abs() ** 1.7)
print(h * torch.tensor(0.1), h / torch.tensor(0.3, dtype=torch.float64))
print((h * 0.1).dtype, (h * torch.tensor(0.1)).dtype, (h * torch.tensor([0.1])).dtype)
print(h + 0.1, h - 1 / 3, 1 / 3 - h)
print(torch.lerp(h, h.flip(0), 0.3), h.addcmul(h, h.flip(0), value=0.1), h.addcdiv(h, h.flip(0).abs() + 1, value=0.3))
# %%
# sums, means, matmul in half
torch.manual_seed(1)
a = (torch.randn(8, 5) * 2).half()
b = (torch.randn(5, 3)).half()
print(a.sum(), a.sum(0), a.mean(1))
print(a @ b)
print(torch.mm(a, b).dtype, a.float().matmul(b.float()))
print(a.max(), a.argmax(), a.norm(), a.std())
print(a.softmax(dim=1)[0], torch.log_softmax(a, 0)[:, 0])
print(a.exp()[0], a.tanh()[0])
# %%
# in-place scaling as an optimiser would do it
w = torch.linspace(-1, 1, 7).half()
w *= 0.1
print(w)
w.div_(0.3)
print(w)
w.mul_(torch.tensor(0.7, dtype=torch.float64))
print(w)
w.add_(w.flip(0), alpha=0.1)
print(w)
print(torch.add(w, w.flip(0), alpha=1 / 3), torch.sub(w, torch.linspace(0, 1, 7).half(), alpha=0.3))
big = torch.linspace(-3, 3, 40).half()
print(big.add(big.flip(0), alpha=0.1)[28:36], big.sub(big * 0.7, alpha=2.7)[::8])
w.clamp_(-0.2, 0.2)
print(w)
# %%
# overflow / underflow / precision limits
print(torch.finfo(torch.float16))
print(torch.finfo(torch.half).max, torch.finfo(torch.float16).eps, torch.finfo(torch.float16).tiny)
big = torch.tensor([60000.0, 70000.0, 1e-8, 6e-5, 2049.0]).half()
print(big, big * 2, big.float())
print(torch.tensor(65504.0, dtype=torch.float16) + 16, torch.tensor(65504.0, dtype=torch.float16) + 32)
print(torch.tensor([1.0, 2.0], dtype=torch.half) + 1e-4)
print(torch.tensor(2049, dtype=torch.int32).half(), torch.tensor(0.1).half().item(), torch.tensor(0.1).half().double())
print(torch.tensor([1, 2, 3], dtype=torch.half).tolist())
# %%
# a tiny net in half precision: forward only, compared with float32
torch.manual_seed(2)
lin = torch.nn.Linear(4, 3)
xb = torch.randn(5, 4)
out32 = lin(xb)
lin_h = torch.nn.Linear(4, 3).half()
lin_h.load_state_dict({k: v.half() for k, v in lin.state_dict().items()})
out16 = lin_h(xb.half())
print(out16.dtype, lin_h.weight.dtype)
print((out16.float() - out32).abs().max() < 1e-2)
numeric(out16)
print(out16.detach())
# %%
# half gradients: the small graph's grads (compared with tolerance)
p = torch.tensor([0.5, -1.25, 2.0], dtype=torch.float16, requires_grad=True)
loss = (p * 0.1 + p ** 2).sum()
loss.backward()
print(loss, p.grad.dtype)
numeric(p.grad)
# %%
torch.ones(2, 3, dtype=torch.half) @ torch.ones(3, 2)
# %%
# activations, norms and layer norm of float16 activations (torch computes them in float32)
torch.manual_seed(3)
act = (torch.randn(4, 6) * 3).half().requires_grad_()
F = torch.nn.functional
outs = [torch.sigmoid(act), F.softplus(act), F.silu(act), F.mish(act), F.leaky_relu(act, 0.1), F.logsigmoid(act),
        torch.sinc(act), act.norm(dim=1), torch.linalg.vector_norm(act, ord=1, dim=0), F.normalize(act, dim=1),
        F.layer_norm(act, (6,)), (act * 0.3).cumprod(1), torch.addmv(act[:, 0], act, act[0])]
for o in outs:
    print(o.dtype, o.grad_fn.name(), o.detach()[0])
sum(o.float().sum() for o in outs).backward()
print(act.grad.dtype, act.grad.shape, act.grad.isfinite().all())
# %%
print(torch.arange(0, 1, 0.1, dtype=torch.float16), torch.arange(-3, 3, 0.07, dtype=torch.half)[30:36])
g = torch.linspace(-2, 2, 24).half().view(1, 6, 4)
print(F.group_norm(g, 3)[0, :2], F.hardswish(g)[0, 0], F.interpolate(g, scale_factor=2, mode='linear')[0, 0])
# %%
torch.linalg.inv(torch.eye(2, dtype=torch.float16))
# %%
torch.linalg.det(torch.eye(2, dtype=torch.float16))
# %%
torch.linalg.solve(torch.eye(2).half(), torch.ones(2).half())
# %%
torch.quantile(torch.ones(3, dtype=torch.float16), 0.5)
# %%
# an optimiser stepping float16 parameters (gradients set by hand, e.g. copied from a float32 master model)
torch.manual_seed(4)
p16 = (torch.randn(40) * 2).half().requires_grad_()
opt16 = torch.optim.SGD([p16], lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-2)
for k in range(4):
    p16.grad = (torch.randn(40) * 0.3).half()
    opt16.step()
print(p16[:8], p16[32:], opt16.state[p16]['momentum_buffer'][:4])
