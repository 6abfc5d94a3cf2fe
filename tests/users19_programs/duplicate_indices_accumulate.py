import torch

# "indexing with repeated indices: does the gradient accumulate?"
w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
idx = torch.tensor([0, 0, 2, 0])
w[idx].sum().backward()
print(w.grad)
w.grad = None
torch.index_select(w, 0, idx).sum().backward()
print(w.grad)
w.grad = None
w.gather(0, idx).sum().backward()
print(w.grad)
# %%
# embeddings: each occurrence of a token adds its gradient
emb = torch.nn.Embedding(4, 2)
torch.nn.init.ones_(emb.weight)
tokens = torch.tensor([[1, 1, 3]])
emb(tokens).sum().backward()
print(emb.weight.grad)
# %%
# index_put with repeated indices and accumulate=True adds the values; each gets the full gradient
src = torch.tensor([10.0, 20.0, 30.0], requires_grad=True)
out = torch.zeros(3)
out = out.index_put((torch.tensor([1, 1, 2]),), src, accumulate=True)
print(out)
out.sum().backward()
print(src.grad)
# %%
# index_add_ and scatter_add_ accumulate by design, float64
vals = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64, requires_grad=True)
acc = torch.zeros(2, dtype=torch.float64).index_add(0, torch.tensor([0, 1, 0, 1]), vals)
print(acc)
(acc * torch.tensor([1.0, 10.0], dtype=torch.float64)).sum().backward()
print(vals.grad)
vals.grad = None
sc = torch.zeros(2, dtype=torch.float64).scatter_add(0, torch.tensor([1, 1, 0, 0]), vals)
(sc ** 2).sum().backward()
print(sc, vals.grad)
