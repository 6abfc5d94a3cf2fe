import torch
from torch import nn
import numpy as np
import io
rng = np.random.default_rng(0)

class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28*28, 64),
            nn.ReLU(),
            nn.Linear(64, 64),
            nn.ReLU(),
            nn.Linear(64, 10),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits

device = "cuda" if torch.cuda.is_available() else "cpu"   # (torch.accelerator: on main, backends.py)
print(f"Using {device} device")
model = NeuralNetwork().to(device)
print(model)
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.tensor(rng.normal(size=tuple(p.shape)) * 0.05, dtype=torch.float32))
# %%
X = torch.tensor(rng.uniform(size=(3, 28, 28)), dtype=torch.float32)
logits = model(X)
pred_probab = nn.Softmax(dim=1)(logits)
y_pred = pred_probab.argmax(1)
print(f"Predicted class: {y_pred}")
for name, param in model.named_parameters():
    print(f"Layer: {name} | Size: {param.size()} | Values : {param[:2].shape} \n")
# %%
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-1)
Xs = torch.tensor(rng.uniform(size=(64, 1, 28, 28)), dtype=torch.float32)
ys = torch.tensor(rng.integers(0, 10, size=64))
def train(model, loss_fn, optimizer):
    size = 64
    model.train()
    for batch in range(4):
        X, y = Xs[batch * 16:(batch + 1) * 16], ys[batch * 16:(batch + 1) * 16]
        pred = model(X)
        loss = loss_fn(pred, y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if batch % 2 == 0:
            loss, current = loss.item(), (batch + 1) * len(X)
            numeric(loss)
            print(f"[{current:>5d}/{size:>5d}]")
def test(model, loss_fn):
    model.eval()
    test_loss, correct = 0, 0
    with torch.no_grad():
        pred = model(Xs)
        test_loss += loss_fn(pred, ys).item()
        correct += (pred.argmax(1) == ys).type(torch.float).sum().item()
    numeric((test_loss, correct))
for t in range(2):
    print(f"Epoch {t+1}\n-------------------------------")
    train(model, loss_fn, optimizer)
    test(model, loss_fn)
print("Done!")
# %%
buf = io.BytesIO()
torch.save(model.state_dict(), buf)
buf.seek(0)
model2 = NeuralNetwork()
print(model2.load_state_dict(torch.load(buf, weights_only=True)))
model2.eval()
with torch.no_grad():
    print(torch.equal(model2(Xs), model(Xs)))
print(list(model.state_dict().keys()))
# %%
buf = io.BytesIO()
torch.save({'epoch': 2, 'model_state_dict': model.state_dict(), 'optimizer_state_dict': optimizer.state_dict(), 'loss': 0.5}, buf)
buf.seek(0)
checkpoint = torch.load(buf, weights_only=True)
opt2 = torch.optim.SGD(model2.parameters(), lr=0.5)
opt2.load_state_dict(checkpoint['optimizer_state_dict'])
print(checkpoint['epoch'], checkpoint['loss'], opt2.param_groups[0]['lr'])
print(opt2.state_dict()['param_groups'])
# %%
model2.load_state_dict({'bad': torch.ones(1)})
# %%
print(model2.load_state_dict({k: v for k, v in model.state_dict().items() if 'linear_relu_stack.4' not in k}, strict=False))
