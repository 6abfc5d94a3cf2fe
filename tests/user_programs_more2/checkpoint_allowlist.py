import collections
import os
import tempfile
import torch
import torch.nn as nn
path = os.path.join(tempfile.mkdtemp(), "run.pt")
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
x = torch.ones(5, 3)
ckpt = {"model": model.state_dict(), "input_shape": x.shape, "dtype": torch.float32, "device": torch.device("cpu"),
        "vocab": collections.Counter("hello"), "epoch": 3, "history": [0.5, 0.25], "best": torch.tensor(0.25)}
torch.save(ckpt, path)
back = torch.load(path)
print(back["input_shape"], back["dtype"], back["device"], back["vocab"].most_common(2), back["epoch"])
print(type(back["model"]).__name__, list(back["model"].keys()))
# %%
# pickling the whole module: torch >= 2.6 refuses it under weights_only=True
torch.save(model, path)
try:
    torch.load(path)
except Exception as e:
    print(type(e).__name__)
    print(e)
m2 = torch.load(path, weights_only=False)
print(m2)
print(torch.equal(m2[0].weight, model[0].weight))
# %%
import math
torch.save({"act": math.tanh, "w": torch.ones(2)}, path)
try:
    torch.load(path)
except Exception as e:
    print(str(e).splitlines()[-3])
with torch.serialization.safe_globals([math.tanh]):
    print(torch.load(path))
torch.serialization.add_safe_globals([math.tanh])
print(torch.load(path)["act"](0.5), math.tanh in torch.serialization.get_safe_globals())
torch.serialization.clear_safe_globals()
print(torch.serialization.get_safe_globals())
