import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

torch.manual_seed(0)
seqs = [torch.randn(5, 3), torch.randn(2, 3), torch.randn(4, 3)]
lengths = torch.tensor([len(s) for s in seqs])
padded = pad_sequence(seqs, batch_first=True)
print(padded.shape)

class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 4, batch_first=True)
        self.head = nn.Linear(4, 2)
    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, (h, c) = self.lstm(packed)
        unpacked, out_lens = pad_packed_sequence(out, batch_first=True)
        return self.head(h[-1]), unpacked, out_lens

model = Classifier()
logits, unpacked, out_lens = model(padded, lengths)
print(unpacked.shape, out_lens)
print(unpacked[1, 2:].abs().sum().item())
loss = nn.functional.cross_entropy(logits, torch.tensor([0, 1, 1]))
loss.backward()
print(round(loss.item(), 4))
numeric(logits)
numeric(model.lstm.weight_hh_l0.grad)
numeric(model.lstm.bias_ih_l0.grad)
