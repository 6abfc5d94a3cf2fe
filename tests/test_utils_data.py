"""torch.utils.data against PyTorch: TensorDataset, DataLoader batching and
collation (transcripts), shuffling and random_split (permutations from
jitgrad's generator: checked as permutations, not against torch's order)."""
import numpy as np

import jitgrad
from jitgrad.utils.data import DataLoader, TensorDataset, random_split


def test_dataset_and_loader_transcripts(differential):
    differential(
        "from torch.utils.data import TensorDataset, DataLoader, Subset\n"
        "ds = TensorDataset(torch.arange(10.).reshape(5, 2), torch.arange(5))\nds[1], len(ds)",
        "dl = DataLoader(ds, batch_size=2)\nlen(dl), list(dl)",
        "len(DataLoader(ds, batch_size=2, drop_last=True)), list(DataLoader(ds, batch_size=2, drop_last=True))[-1]",
        "list(DataLoader([(1, 2.0), (3, 4.0)], batch_size=2))",
        "list(DataLoader([{'a': torch.ones(2)}, {'a': torch.zeros(2)}], batch_size=2))",
        "list(DataLoader(ds, batch_size=None))[0]",
        "TensorDataset(torch.ones(3), torch.ones(4))",
        "s = Subset(ds, [4, 0])\nlen(s), s[0]",
        """
        model = torch.nn.Linear(2, 1)
        with torch.no_grad():
            model.weight.fill_(0.1); model.bias.fill_(0.0)
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        for epoch in range(3):
            for x, y in DataLoader(ds, batch_size=2):
                opt.zero_grad()
                loss = torch.nn.functional.mse_loss(model(x).squeeze(1), y.float())
                loss.backward()
                opt.step()
        numeric(loss.item())
        model.weight
        """,
    )


def test_shuffle_and_random_split_are_permutations():
    jitgrad.manual_seed(0)
    ds = TensorDataset(jitgrad.arange(10), jitgrad.arange(10) * 2)
    batches = list(DataLoader(ds, batch_size=3, shuffle=True))
    assert [len(b[0]) for b in batches] == [3, 3, 3, 1]
    seen = np.concatenate([b[0].numpy() for b in batches])
    assert sorted(seen) == list(range(10)) and list(seen) != list(range(10))
    np.testing.assert_array_equal(np.concatenate([b[1].numpy() for b in batches]), seen * 2)
    a, b = random_split(ds, [0.7, 0.3])
    assert (len(a), len(b)) == (7, 3)
    assert sorted([int(a[i][0]) for i in range(7)] + [int(b[i][0]) for i in range(3)]) == list(range(10))
