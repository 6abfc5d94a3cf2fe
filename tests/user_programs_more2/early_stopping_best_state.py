# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import copy
import torch
import torch.nn as nn
torch.manual_seed(1)

X = torch.randn(40, 2)
y = (X[:, :1] * 2 - X[:, 1:]).tanh()
Xtr, ytr, Xva, yva = X[:30], y[:30], X[30:], y[30:]
model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.2)
best, best_state, patience, bad = float("inf"), None, 5, 0
history = []
for epoch in range(200):
    model.train()
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(Xtr), ytr)
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        val = nn.functional.mse_loss(model(Xva), yva).item()
    history.append(val)
    if val < best - 1e-4:
        best, bad = val, 0
        best_state = copy.deepcopy(model.state_dict())
    else:
        bad += 1
        if bad >= patience:
            print(f"early stop at epoch {epoch}, best val {best:.5f}")
            break
model.load_state_dict(best_state)
with torch.no_grad():
    print(f"{nn.functional.mse_loss(model(Xva), yva).item():.5f}")
print(len(history))
numeric(history)
# %%
# state_dict tensors share storage with parameters unless copied
sd = model.state_dict()
print(sd["0.weight"].requires_grad, sd["0.weight"].data_ptr() == model[0].weight.data_ptr())
snap = {k: v.clone() for k, v in sd.items()}
with torch.no_grad():
    model[0].weight.add_(1.0)
print(torch.equal(sd["0.weight"], model[0].weight), torch.equal(snap["0.weight"], model[0].weight))
keep_vars = model.state_dict(keep_vars=True)
print(type(keep_vars["0.weight"]).__name__, keep_vars["0.weight"].requires_grad)
