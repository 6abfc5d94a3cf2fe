import torch
import torch.nn as nn

torch.manual_seed(0)
enc = nn.Sequential(nn.Conv2d(1, 4, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(4, 8, 3, stride=2, padding=1), nn.ReLU())
dec = nn.Sequential(nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
                    nn.ConvTranspose2d(4, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())
x = torch.rand(2, 1, 8, 8)
z = enc(x)
print(z.shape)
recon = dec(z)
print(recon.shape)
opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-2)
for i in range(4):
    opt.zero_grad()
    loss = nn.functional.binary_cross_entropy(dec(enc(x)), x)
    loss.backward()
    opt.step()
    print(i, f"{loss.item():.4f}")
numeric(dec[0].weight.grad)
print(nn.ConvTranspose1d(2, 3, 4, stride=2)(torch.ones(1, 2, 5)).shape)
