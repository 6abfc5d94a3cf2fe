import torch

a = torch.ones(2, 3)
b = torch.ones(4, 5)
for label, fn in [("matmul", lambda: a @ b), ("view", lambda: a.view(4, 2)),
                  ("expand", lambda: a.expand(3, 3)), ("cat", lambda: torch.cat([a, b])),
                  ("stack", lambda: torch.stack([a, a.t()])), ("add", lambda: a + b),
                  ("reshape", lambda: a.reshape(5, -1)), ("mm", lambda: torch.mm(a, a)),
                  ("permute", lambda: a.permute(0)), ("transpose", lambda: a.transpose(0, 2))]:
    try:
        fn()
    except (RuntimeError, IndexError) as e:
        print(label, type(e).__name__, e)
# %%
for label, fn in [("index", lambda: a[2]), ("index_neg", lambda: a[0, -4]),
                  ("gather", lambda: a.gather(1, torch.tensor([[3]]))),
                  ("index_select", lambda: a.index_select(0, torch.tensor([5]))),
                  ("squeeze_dim", lambda: a.squeeze(3)), ("sum_dim", lambda: a.sum(2)),
                  ("unsqueeze", lambda: a.unsqueeze(4)), ("view2", lambda: a.t().view(6))]:
    try:
        fn()
    except (RuntimeError, IndexError) as e:
        print(label, type(e).__name__, e)
