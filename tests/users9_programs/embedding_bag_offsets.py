import torch
import torch.nn as nn

torch.manual_seed(0)
bag = nn.EmbeddingBag(10, 3, mode="mean")
text = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])
offsets = torch.tensor([0, 4])
out = bag(text, offsets)
print(out.shape)
out.sum().backward()
print(bag.weight.grad)
# %%
bag_sum = nn.EmbeddingBag(10, 3, mode="sum")
inputs = torch.tensor([[1, 2], [3, 3]])
w = torch.tensor([0.5, 2.0, 1.0, -1.0])
out = bag_sum(inputs.flatten(), torch.tensor([0, 2]), per_sample_weights=w)
numeric(out)
bagmax = nn.EmbeddingBag.from_pretrained(torch.arange(12.0).reshape(4, 3), mode="max")
print(bagmax(torch.tensor([[0, 3], [1, 2]])))
print(bagmax.weight.requires_grad)
emb = nn.Embedding(5, 2, max_norm=1.0)
with torch.no_grad():
    emb.weight.copy_(torch.arange(10.0).reshape(5, 2))
print(emb(torch.tensor([0, 2])))
print(emb.weight)
