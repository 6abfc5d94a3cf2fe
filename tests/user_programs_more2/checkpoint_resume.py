import os
import tempfile
import torch
import torch.nn as nn
torch.manual_seed(0)

tmp = tempfile.mkdtemp()
path = os.path.join(tmp, "ckpt.pt")
model = nn.Sequential(nn.Linear(3, 5), nn.GELU(), nn.Linear(5, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
x, y = torch.randn(12, 3), torch.randn(12, 1)
def train(n):
    for i in range(n):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        sched.step()
    return loss.item()
print(f"{train(4):.5f}")
torch.save({"epoch": 4, "model": model.state_dict(), "optim": opt.state_dict(), "sched": sched.state_dict(),
            "rng": torch.get_rng_state(), "note": "run-1", "metrics": torch.tensor([0.5, 0.25])}, path)
ref = f"{train(4):.5f}"
print(ref)
ref_w = model[0].weight.detach().clone()
# %%
ck = torch.load(path)
print(sorted(ck), ck["epoch"], ck["note"], ck["metrics"])
print(sorted(ck["optim"]), ck["optim"]["param_groups"][0]["lr"], sorted(ck["optim"]["state"][0]))
model.load_state_dict(ck["model"])
opt.load_state_dict(ck["optim"])
sched.load_state_dict(ck["sched"])
torch.set_rng_state(ck["rng"])
print(f"{train(4):.5f}" == ref, torch.allclose(model[0].weight, ref_w))
print(ck["optim"]["state"][0]["step"], sched.last_epoch, sched.get_last_lr())
# %%
# a dict of plain tensors, and a list, round trip with dtypes kept
tensors = {"a": torch.arange(5), "b": torch.ones(2, 2, dtype=torch.float64), "c": torch.tensor(True)}
torch.save(tensors, path)
back = torch.load(path, weights_only=True)
print({k: (v.dtype, tuple(v.shape)) for k, v in back.items()})
torch.save([torch.zeros(2), torch.tensor(3.5)], path)
print(torch.load(path))
t = torch.tensor([1.0, 2.0], requires_grad=True)
torch.save(t, path)
print(torch.load(path))
