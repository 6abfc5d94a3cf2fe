import torch
cases = {
    "narrow": lambda x: x.narrow(1, 0, 2), "select": lambda x: x.select(0, 1), "unbind": lambda x: x.unbind(0)[1],
    "chunk": lambda x: x.chunk(2, 1)[0], "split": lambda x: x.split(1, 0)[1], "t": lambda x: x.t(), "T": lambda x: x.T,
    "permute": lambda x: x.permute(1, 0), "view": lambda x: x.view(-1), "reshape": lambda x: x.reshape(6),
    "unsqueeze": lambda x: x.unsqueeze(0), "flatten": lambda x: x.flatten(), "movedim": lambda x: x.movedim(0, 1),
    "detach": lambda x: x.detach(), "data": lambda x: x.data, "slice": lambda x: x[:, 1:], "step": lambda x: x[::2],
    "ellipsis": lambda x: x[..., 0], "diagonal": lambda x: x.diagonal(), "diagonal1": lambda x: x.diagonal(1),
    "unfold": lambda x: x.unfold(1, 1, 2), "real": lambda x: x.real, "contiguous": lambda x: x.contiguous(),
}
for name, f in cases.items():
    x = torch.arange(6.0).reshape(2, 3)
    f(x).add_(100)
    print(name, x.tolist())
