import torch
from torch import nn
torch.manual_seed(3)
m = nn.Linear(2, 1).double()
opt = torch.optim.SGD(m.parameters(), lr=0.5, momentum=0.5)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1, min_lr=0.01)
x = torch.randn(16, 2, dtype=torch.float64)
y = x @ torch.tensor([[1.0], [-1.0]], dtype=torch.float64)
for epoch in range(8):
    opt.zero_grad()
    loss = nn.functional.mse_loss(m(x), y)
    loss.backward()
    opt.step()
    plateau.step(round(loss.item(), 1))
    print(epoch, round(loss.item(), 6), plateau.get_last_lr(), plateau.num_bad_epochs)
print(plateau.state_dict()["best"], plateau.state_dict()["_last_lr"])
