import torch

# "Trying to backward through the graph a second time"
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
z = (y * y).sum()
z.backward()
try:
    z.backward()
except RuntimeError as e:
    print(e)
print(x.grad)
# %%
# answer: retain_graph=True on the first call; grads accumulate
x.grad = None
z = (x.exp() * x.exp()).sum()
z.backward(retain_graph=True)
z.backward()
print(x.grad)
# %%
# the classic RNN mistake: the hidden state carries the old graph into the next batch
torch.manual_seed(0)
W = torch.randn(2, 2, requires_grad=True)
h = torch.zeros(2)
for t in range(2):
    h = torch.tanh(W @ h + torch.ones(2))
    loss = h.sum()
    try:
        loss.backward()
        print(t, "ok")
    except RuntimeError as e:
        print(t, str(e)[:60])
# %%
# answer: detach the hidden state between batches (truncated BPTT)
W.grad = None
h = torch.zeros(2)
for t in range(3):
    h = torch.tanh(W @ h + torch.ones(2))
    loss = h.sum()
    loss.backward()
    h = h.detach()
    print(t, f"{loss.item():.5f}")
print(W.grad)
# %%
# ops that save nothing can be walked twice without retain_graph
a = torch.tensor([1.0, 2.0], requires_grad=True)
s = (a + 1).sum()
s.backward()
s.backward()
print(a.grad)
