import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)

class SmallCNN(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, kernel_size=3, padding=1),
            nn.BatchNorm2d(4),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Conv2d(4, 8, kernel_size=3, stride=1, padding=1, bias=False),
            nn.BatchNorm2d(8),
            nn.ReLU(),
            nn.Dropout2d(p=0.25),
            nn.AdaptiveAvgPool2d((1, 1)),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(8, n_classes))

    def forward(self, x):
        return self.classifier(self.features(x))

model = SmallCNN()
print(model)
print(sum(p.numel() for p in model.parameters()))
print([k for k in model.state_dict().keys()])
# %%
x = torch.randn(6, 1, 8, 8)
y = torch.tensor([0, 1, 2, 0, 1, 2])
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for step in range(4):
    opt.zero_grad()
    out = model(x)
    loss = F.cross_entropy(out, y)
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.5f}")
print(out.shape, out.grad_fn)
print(model.features[0].weight.grad.shape, model.features[0].weight.grad.abs().sum())
print(model.features[1].running_mean)
print(model.features[1].num_batches_tracked)
# %%
model.eval()
with torch.no_grad():
    pred = model(x)
print(pred)
print(pred.argmax(dim=1))
h = model.features[:4](x)
print(h.shape, h.requires_grad, h.grad_fn)
# %%
# shape walk through the feature stack
t = x[:2]
for i, layer in enumerate(model.features):
    t = layer(t)
    print(i, type(layer).__name__, tuple(t.shape), t.grad_fn.name() if t.grad_fn is not None else None)
