# ruff: noqa: F821
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(48)

# shared trunk with a classification head and a regression head; weighted losses, scheduler, eval loop
class MultiTask(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(5, 16), nn.SiLU(), nn.Dropout(0.1), nn.Linear(16, 16), nn.SiLU())
        self.cls = nn.Linear(16, 3)
        self.reg = nn.Linear(16, 1)
        self.log_vars = nn.Parameter(torch.zeros(2))

    def forward(self, x):
        h = self.trunk(x)
        return self.cls(h), self.reg(h).squeeze(-1)

X = torch.randn(64, 5)
yc = (X[:, 0] > 0).long() + (X[:, 1] > 1).long()
yr = X @ torch.tensor([0.5, -1.0, 0.3, 0.0, 2.0])
model = MultiTask()
opt = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.05)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)
for epoch in range(10):
    model.train()
    for i in range(0, 64, 16):
        xb = X[i:i + 16]
        logits, pred = model(xb)
        lc = F.cross_entropy(logits, yc[i:i + 16])
        lr_ = F.mse_loss(pred, yr[i:i + 16])
        loss = torch.exp(-model.log_vars[0]) * lc + torch.exp(-model.log_vars[1]) * lr_ + model.log_vars.sum()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
    sched.step()
    if epoch % 5 == 4:
        model.eval()
        with torch.no_grad():
            logits, pred = model(X)
            acc = (logits.argmax(1) == yc).float().mean().item()
            mse = F.mse_loss(pred, yr).item()
        print(f"epoch {epoch + 1}: acc {acc:.3f} mse {mse:.4f} lr {sched.get_last_lr()[0]:.5f}")
print(model.log_vars)
numeric([loss, model.log_vars, model.cls.weight])
