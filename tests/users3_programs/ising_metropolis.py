# ruff: noqa: F821
import torch
torch.manual_seed(18)

# checkerboard Metropolis for the 2D Ising model on integer spins
L = 8
spins = torch.randint(0, 2, (L, L)) * 2 - 1
print(spins.dtype, spins.sum().item(), spins[:2])
ii, jj = torch.meshgrid(torch.arange(L), torch.arange(L), indexing="ij")
checker = ((ii + jj) % 2 == 0)
beta = 0.6
mags = []
for sweep in range(40):
    for parity in (True, False):
        nb = spins.roll(1, 0) + spins.roll(-1, 0) + spins.roll(1, 1) + spins.roll(-1, 1)
        dE = 2 * spins * nb
        accept = torch.rand(L, L) < torch.exp(-beta * dE.float())
        flip = accept & (checker == parity)
        spins = torch.where(flip, -spins, spins)
    mags.append(spins.float().mean().abs().item())
print(spins.dtype, len(mags), f"{sum(mags[20:]) / 20:.4f}")
energy = -(spins * (spins.roll(1, 0) + spins.roll(1, 1))).sum()
print(energy, energy.dtype)
numeric([spins, energy])
# %%
counts = torch.bincount((spins.flatten() + 1) // 2, minlength=2)
print(counts, counts.sum(), (spins == 1).sum(dim=1))
print(torch.unique(spins, return_counts=True))
print(spins.to(torch.float32).std(), spins.abs().min(), spins.argmax())
