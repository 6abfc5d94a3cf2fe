import torch

# half precision values print with fewer digits of meaning
h = torch.tensor([0.1, 1.0 / 3, 65504.0, 1e-4, -2.5], dtype=torch.float16)
print(h)
print(h.float())
print(h.sum(), h.mean(), h.dtype)
h
# %%
print(torch.tensor([70000.0]).half(), torch.tensor([1e-8]).half())
print(torch.finfo(torch.float16))
print(torch.finfo(torch.float16).eps, torch.finfo(torch.float16).tiny)
# %%
print(torch.float16.is_floating_point, torch.float16.itemsize, torch.half is torch.float16)
print(torch.tensor([2.5, -1.0], dtype=torch.half), torch.iinfo(torch.int16).max, torch.iinfo(torch.uint8))
