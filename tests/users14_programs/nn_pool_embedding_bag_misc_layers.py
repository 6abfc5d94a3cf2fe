import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(30)
x = torch.randn(1, 2, 8, 8, requires_grad=True)
for m in [nn.MaxPool2d(3, stride=2, padding=1, dilation=2), nn.MaxPool2d(3, stride=2, ceil_mode=True),
          nn.AvgPool2d(3, stride=2, padding=1, divisor_override=2), nn.AvgPool2d(2, ceil_mode=True, count_include_pad=False),
          nn.LPPool2d(2, 3, stride=2)]:
    y = m(x)
    print(m, tuple(y.shape), y.grad_fn.name())
    g, = torch.autograd.grad(y.sum(), x)
    print(f"  grad sum {g.sum():.4f} nonzero {int((g != 0).sum())}")
# %%
bag = nn.EmbeddingBag(10, 3, mode="sum")
idx = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])
offsets = torch.tensor([0, 4])
w = torch.tensor([0.5, 1.0, 1.0, 2.0, 0.1, 0.2, 0.3, 0.4])
out = bag(idx, offsets, per_sample_weights=w)
print(out.shape, out.grad_fn.name())
out.sum().backward()
print(bag.weight.grad[:5])
bag_max = nn.EmbeddingBag(10, 3, mode="max")
print(bag_max(idx.view(2, 4)))
# %%
bag_mean = nn.EmbeddingBag(10, 3, mode="mean")
bag_mean(idx, offsets, per_sample_weights=w)
# %%
emb = nn.Embedding(5, 2, scale_grad_by_freq=True)
e = emb(torch.tensor([1, 1, 1, 3]))
(e * torch.tensor([[1.0], [2.0], [4.0], [1.0]])).sum().backward()
print(emb.weight.grad)
e2 = emb(torch.tensor([[0, 0], [4, 0]]))
e2.register_hook(lambda g: print("hook sees", g.sum().item()))
e2.sum().backward()
print(emb.weight.grad)
# %%
print(nn.Identity()(x).shape, nn.Flatten(0, 1)(x).shape, nn.Unflatten(1, (1, 2))(x).shape)
print(nn.Softmax2d()(x)[0, :, 0, 0].sum())
print(nn.ChannelShuffle(2)(torch.arange(8.0).view(1, 4, 1, 2)).flatten())
print(F.pixel_unshuffle(torch.arange(16.0).view(1, 1, 4, 4), 2).shape)
