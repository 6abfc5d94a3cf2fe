# ruff: noqa: F821
import torch
torch.manual_seed(28)
torch.set_default_dtype(torch.float64)

# truncated Newton (conjugate gradient on Hessian-vector products by double backward) for logistic regression
N, D = 80, 5
X = torch.randn(N, D)
y = (X @ torch.randn(D) + 0.3 * torch.randn(N) > 0).double()
w = torch.zeros(D, requires_grad=True)

def loss_fn(w):
    return torch.nn.functional.binary_cross_entropy_with_logits(X @ w, y) + 0.01 * w @ w

def hvp(w, v):
    (g,) = torch.autograd.grad(loss_fn(w), w, create_graph=True)
    (hv,) = torch.autograd.grad(g @ v, w)
    return hv

def cg(Av, b, iters=10, tol=1e-10):
    x = torch.zeros_like(b)
    r = b.clone()
    p = r.clone()
    rs = r @ r
    for _ in range(iters):
        Ap = Av(p)
        alpha = rs / (p @ Ap)
        x = x + alpha * p
        r = r - alpha * Ap
        rs_new = r @ r
        if rs_new.sqrt() < tol:
            break
        p = r + rs_new / rs * p
        rs = rs_new
    return x

for it in range(5):
    loss = loss_fn(w)
    (g,) = torch.autograd.grad(loss, w)
    step = cg(lambda v: hvp(w, v), -g)
    with torch.no_grad():
        w += step
    print(f"it {it} loss {loss.item():.10f} |g| {g.norm().item():.3e}")
H = torch.autograd.functional.hessian(loss_fn, w.detach())
print(torch.allclose(hvp(w, torch.ones(D)), H @ torch.ones(D)))
numeric([w, H])
# %%
vhp_out = torch.autograd.functional.vhp(loss_fn, w.detach(), torch.ones(D))
hvp_out = torch.autograd.functional.hvp(loss_fn, w.detach(), torch.ones(D))
print(type(vhp_out).__name__, len(vhp_out), torch.allclose(vhp_out[1], hvp_out[1]))
numeric([vhp_out[0], vhp_out[1], hvp_out[1]])
