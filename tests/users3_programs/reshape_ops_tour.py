# ruff: noqa: F821
import torch
torch.manual_seed(32)

x = torch.randn(2, 3, 4, requires_grad=True)
ops = {
    "permute": x.permute(2, 0, 1),
    "movedim": torch.movedim(x, 0, -1),
    "flatten": x.flatten(1),
    "unflatten": x.flatten(1).unflatten(1, (4, 3)),
    "repeat": x.repeat(1, 2, 1),
    "repeat_interleave": x.repeat_interleave(2, dim=0),
    "tile": torch.tile(x, (2, 1)),
    "expand": x[:, :1].expand(-1, 5, -1),
    "view_as": x.reshape(6, 4).view_as(torch.empty(4, 6)),
    "swapaxes": x.swapaxes(0, 2),
    "roll": x.roll(shifts=(1, -1), dims=(1, 2)),
    "flip": x.flip(0, 2),
    "chunk_cat": torch.cat(x.chunk(2, dim=2)[::-1], dim=2),
    "stack_unbind": torch.stack(x.unbind(1), dim=-1),
}
loss = 0
for i, (name, t) in enumerate(ops.items()):
    print(f"{name:18s} {tuple(t.shape)} {t.grad_fn.name()} {t.is_contiguous()}")
    loss = loss + (t * torch.arange(t.numel()).reshape(t.shape)).sum() * (i + 1)
loss.backward()
numeric([loss, x.grad])
# %%
z = torch.arange(24.0).reshape(2, 3, 4)
print(z.transpose(0, 1).contiguous().stride(), z.t().shape if z.ndim == 2 else z.mT.shape, z.stride())
print(torch.rot90(z, 1, (1, 2))[0], torch.rot90(z, 2).shape)
print(z.unfold(2, 2, 1).shape, torch.diagonal(z, dim1=1, dim2=2), z.squeeze().shape, z[:, :1].squeeze(1).shape)
print(torch.broadcast_tensors(torch.ones(3, 1), torch.ones(1, 4))[0].shape, torch.atleast_2d(torch.tensor(1.0)).shape)
try:
    z.view(4, -1).t().view(-1)
except RuntimeError as e:
    print(e)
