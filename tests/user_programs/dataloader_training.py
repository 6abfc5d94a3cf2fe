import torch
from torch.utils.data import TensorDataset, DataLoader, random_split, Dataset
import numpy as np
X = torch.tensor(np.linspace(-1, 1, 20)[:, None], dtype=torch.float32)
Y = 3 * X + 0.5
ds = TensorDataset(X, Y)
print(len(ds), ds[3])
dl = DataLoader(ds, batch_size=8, shuffle=False)
print(len(dl))
model = torch.nn.Linear(1, 1)
with torch.no_grad():
    model.weight.fill_(0.0); model.bias.fill_(0.0)
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(20):
    for xb, yb in dl:
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
print(model.weight.item(), model.bias.item(), xb.shape)
class Sq(Dataset):
    def __len__(self):
        return 5
    def __getitem__(self, i):
        return torch.tensor(float(i)), torch.tensor(float(i) ** 2)
for a, b in DataLoader(Sq(), batch_size=2):
    print(a, b)
print([len(s) for s in random_split(ds, [15, 5], generator=torch.Generator().manual_seed(0))])
