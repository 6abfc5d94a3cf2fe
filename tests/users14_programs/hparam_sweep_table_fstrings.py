import torch
import torch.nn as nn

torch.manual_seed(14)
X = torch.randn(64, 5)
w_true = torch.tensor([1.5, -2.0, 0.0, 0.7, 3.0])
y = (X @ w_true + 0.1 * torch.randn(64)).unsqueeze(1)

def run(lr, wd, opt_name, steps=25):
    torch.manual_seed(0)
    model = nn.Linear(5, 1)
    opt_cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "rmsprop": torch.optim.RMSprop}[opt_name]
    opt = opt_cls(model.parameters(), lr=lr, weight_decay=wd)
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        opt.step()
    return loss.detach(), model.weight.detach()

print(f"{'opt':<8}{'lr':>8}{'wd':>8}{'loss':>12}  weight[0]")
print("-" * 52)
results = {}
for opt_name in ["sgd", "adam", "rmsprop"]:
    for lr in [0.01, 0.1]:
        for wd in [0.0, 1e-2]:
            loss, w = run(lr, wd, opt_name)
            results[(opt_name, lr, wd)] = loss
            print(f"{opt_name:<8}{lr:>8.3f}{wd:>8.0e}{loss.item():>12.4f}  {w[0, 0]:.4f}")
best = min(results, key=lambda k: results[k])
print("best:", best, results[best])
# %%
losses = torch.stack(list(results.values()))
print(losses)
print(losses.argmin(), losses.min(), f"{losses.mean():.3e}")
print(f"{losses.max()!r}")
print("{:.2f}".format(losses[0]))
print("%.3f" % losses[1])
print(f"{losses[:3]}")
# %%
grid = torch.tensor([[results[(o, lr, 0.0)].item() for lr in [0.01, 0.1]] for o in ["sgd", "adam", "rmsprop"]])
print(grid)
print(f"{grid.T}")
torch.set_printoptions(precision=2)
print(grid)
