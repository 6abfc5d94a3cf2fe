import torch
from torch.utils.data import TensorDataset, DataLoader, random_split
torch.manual_seed(0)
X = torch.randn(20, 3)
Y = (X.sum(1) > 0).long()
ds = TensorDataset(X, Y)
train, val = random_split(ds, [15, 5], generator=torch.Generator().manual_seed(1))
print(len(train), len(val), val.indices)
dl = DataLoader(train, batch_size=4, shuffle=True, generator=torch.Generator().manual_seed(2))
model = torch.nn.Linear(3, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(2):
    model.train()
    tot = 0.0
    for xb, yb in dl:
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        xv = torch.stack([val[i][0] for i in range(len(val))])
        yv = torch.stack([val[i][1] for i in range(len(val))])
        acc = (model(xv).argmax(1) == yv).float().mean()
    print(epoch, f"{tot / len(train):.5f}", acc.item())
