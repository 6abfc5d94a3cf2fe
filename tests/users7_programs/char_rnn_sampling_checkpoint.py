import torch
import io
from torch import nn
torch.manual_seed(0)
text = "hello world, hello torch. " * 4
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text])
print(len(chars), data[:10])

class CharRNN(nn.Module):
    def __init__(self, n, h=16):
        super().__init__()
        self.emb = nn.Embedding(n, 8)
        self.gru = nn.GRU(8, h, batch_first=True)
        self.head = nn.Linear(h, n)

    def forward(self, x, state=None):
        out, state = self.gru(self.emb(x), state)
        return self.head(out), state

model = CharRNN(len(chars))
opt = torch.optim.Adam(model.parameters(), lr=0.02)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
X = data[:-1].unfold(0, 12, 6)
Y = data[1:].unfold(0, 12, 6)
print(X.shape, Y.shape)
for epoch in range(25):
    opt.zero_grad()
    logits, _ = model(X)
    loss = nn.functional.cross_entropy(logits.reshape(-1, len(chars)), Y.reshape(-1))
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if epoch % 8 == 0:
        print(epoch, f"{loss.item():.3f}", sched.get_last_lr())
# %%
buf = io.BytesIO()
torch.save(model.state_dict(), buf)
buf.seek(0)
clone = CharRNN(len(chars))
print(clone.load_state_dict(torch.load(buf)))
print(all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), clone.state_dict().values())))
# %%
def sample(m, start="h", n=20, temperature=0.8):
    torch.manual_seed(42)
    idx = torch.tensor([[stoi[start]]])
    state = None
    out = start
    with torch.no_grad():
        for _ in range(n):
            logits, state = m(idx, state)
            probs = torch.softmax(logits[0, -1] / temperature, dim=-1)
            nxt = torch.multinomial(probs, 1)
            out += chars[nxt.item()]
            idx = nxt.view(1, 1)
    return out
s1, s2 = sample(model), sample(clone)
print(s1 == s2, len(s1))
print(torch.softmax(model(torch.tensor([[stoi["h"]]]))[0][0, -1], -1).argmax().item() == stoi["e"])
