import torch
import torch.nn as nn
def rosen(x):
    return ((1 - x[:-1]) ** 2 + 100 * (x[1:] - x[:-1] ** 2) ** 2).sum()
crosen = torch.compile(rosen, backend="eager")     # (inductor would take seconds in the oracle run)
x = torch.tensor([-1.0, 1.5, 0.5, 2.0], dtype=torch.float64, requires_grad=True)
for it in range(30):
    f = crosen(x)
    g, = torch.autograd.grad(f, x)
    with torch.no_grad():
        x -= 1e-3 * g
print(f.item(), f.requires_grad, x)      # (torch's grad_fn: CompiledFunctionBackward; jitgrad keeps the eager names)
print(torch.allclose(crosen(x), rosen(x)))
# %%
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.GELU(), nn.Linear(8, 2))
cmodel = torch.compile(model, backend="eager")
print(type(cmodel).__name__, cmodel._orig_mod is model)
opt = torch.optim.SGD(cmodel.parameters(), lr=0.1)
X = torch.linspace(-1, 1, 24).reshape(6, 4)
y = torch.tensor([0, 1, 1, 0, 1, 0])
for step in range(5):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(cmodel(X), y)
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.5f}")
print(list(cmodel.state_dict())[:2])
print(torch.allclose(cmodel(X), model(X)))
# %%
@torch.compile(backend="eager", dynamic=False)
def step_fn(a, b):
    return torch.sin(a) * b + a.exp()
a = torch.tensor([0.1, 0.2], requires_grad=True)
print(step_fn(a, 2.0).detach(), step_fn(a, 3.0).tolist())
step_fn(a, 2.0).sum().backward()
print(a.grad)
# %%
# a global module hook (a profiler, say) and a compiled module: torch warns at each call
seen = []
handle = torch.nn.modules.module.register_module_forward_hook(lambda mod, inp, out: seen.append(type(mod).__name__))
out = cmodel(X)
handle.remove()
out2 = cmodel(X)
print(seen[-1], torch.equal(out, out2))
