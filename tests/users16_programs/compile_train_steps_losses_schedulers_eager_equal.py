import torch
import torch.nn.functional as F

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.GELU(), torch.nn.Linear(16, 3))
opt = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.01)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=6)
X = torch.randn(24, 4)
Y = torch.randint(0, 3, (24,))

@torch.compile(backend="eager")
def loss_fn(logits, target):
    return F.cross_entropy(logits, target, label_smoothing=0.05) + 0.01 * logits.pow(2).mean()

def train_step(xb, yb):
    opt.zero_grad()
    loss = loss_fn(model(xb), yb)
    loss.backward()
    opt.step()
    return loss

for ep in range(6):
    l = train_step(X, Y)
    sched.step()
    print(ep, f"{l.item():.6f}", f"{sched.get_last_lr()[0]:.6f}", l.grad_fn is not None)
# %%
torch.manual_seed(0)
m2 = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.GELU(), torch.nn.Linear(16, 3))
cm = torch.compile(m2, backend="eager")
print(type(cm).__name__)
print(torch.allclose(cm(X), m2(X)))
o2 = torch.optim.SGD(cm.parameters(), lr=0.1)
for ep in range(3):
    o2.zero_grad()
    l = F.cross_entropy(cm(X), Y)
    l.backward()
    o2.step()
    print(ep, f"{l.item():.6f}")
print(list(cm.state_dict())[:2])
# %%
@torch.compile(backend="eager")
def pinn_residual(x):
    x = x.requires_grad_(True)
    u = torch.sin(3 * x) * x
    du, = torch.autograd.grad(u.sum(), x, create_graph=True)
    d2u, = torch.autograd.grad(du.sum(), x, create_graph=True)
    return d2u + 9 * u

def pinn_residual_eager(x):
    x = x.requires_grad_(True)
    u = torch.sin(3 * x) * x
    du, = torch.autograd.grad(u.sum(), x, create_graph=True)
    d2u, = torch.autograd.grad(du.sum(), x, create_graph=True)
    return d2u + 9 * u

xs = torch.linspace(0, 1, 5)
import warnings
with warnings.catch_warnings():
    # (jitgrad runs a function with autograd.grad / backward() inside eagerly and says so once; torch is silent)
    warnings.simplefilter("ignore")
    r1 = pinn_residual(xs.clone())
r2 = pinn_residual_eager(xs.clone())
print(r1)
print(torch.equal(r1, r2), r1.grad_fn.name())
# %%
@torch.compile(backend="eager")
def step_with_clip(xb, yb):
    loss = F.mse_loss(model(xb)[:, 0], yb.float())
    loss.backward()
    return torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1), loss
opt.zero_grad()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    n, l = step_with_clip(X, Y)
print(f"{n.item():.6f} {l.item():.6f}")
