import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0, batch_first=True)
encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
head = nn.Linear(8, 1)
opt = torch.optim.Adam(list(encoder.parameters()) + list(head.parameters()), lr=1e-2)
x = torch.randn(4, 6, 8)
y = x.mean(dim=(1, 2)).unsqueeze(1)
for step in range(5):
    opt.zero_grad()
    pred = head(encoder(x).mean(1))
    loss = nn.functional.mse_loss(pred, y)
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.5f}")
print(sum(p.numel() for p in encoder.parameters()))
print(type(encoder.layers[0].self_attn).__name__, encoder.layers[0].linear1)
