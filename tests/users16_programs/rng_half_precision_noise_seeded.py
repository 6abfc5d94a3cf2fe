import torch

# half-precision noise for a memory-light data augmentation, seeded for reproducibility
torch.manual_seed(0)
noise = torch.rand(6, dtype=torch.float16)
print(noise, noise.dtype)
torch.manual_seed(0)
print(torch.equal(noise, torch.rand(6).half()))
jitter = torch.empty(2, 4, dtype=torch.float16).uniform_(-0.1, 0.1)
print(jitter)
print(torch.rand(3))
# %%
torch.manual_seed(1)
z_small = torch.randn(5, dtype=torch.float16)
z_block = torch.randn(32, dtype=torch.float16)
print(z_small)
print(z_block[:6], z_block[-3:])
print(torch.rand(2))
# %%
torch.manual_seed(2)
img = torch.full((1, 4, 4), 0.5, dtype=torch.float16)
aug = (img + 0.05 * torch.randn(img.shape, dtype=torch.float16)).clamp(0, 1)
print(aug)
print(aug.float().mean().item() > 0.4, aug.dtype)
g = torch.Generator().manual_seed(3)
print(torch.rand(4, dtype=torch.float16, generator=g), torch.randn(16, dtype=torch.float16, generator=g)[:4])
