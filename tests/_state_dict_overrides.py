import sys
lib = __import__(sys.argv[1]); torch = lib
bn = torch.nn.BatchNorm1d(3)
sd = {k: v for k, v in bn.state_dict().items() if k != 'num_batches_tracked'}
try:
    print(bn.load_state_dict(sd))
except Exception as e: print(type(e).__name__, str(e)[:200])
print(bn.num_batches_tracked)
class M(torch.nn.Module):
    def __init__(self):
        super().__init__(); self.lin = torch.nn.Linear(2, 2)
    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs):
        old = prefix + 'old_w'
        if old in state_dict:
            state_dict[prefix + 'lin.weight'] = state_dict.pop(old)
        print('local_metadata', local_metadata, strict)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs)
    def _save_to_state_dict(self, destination, prefix, keep_vars):
        super()._save_to_state_dict(destination, prefix, keep_vars)
        destination[prefix + 'extra'] = torch.tensor(1.0)
m = M()
sd = m.state_dict()
print(list(sd))
sd2 = {'old_w': torch.ones(2, 2), 'lin.bias': torch.zeros(2)}
print(m.load_state_dict(sd2, strict=False))
print(m.lin.weight)
seen = []
h = m._register_load_state_dict_pre_hook(lambda sd, prefix, *rest: seen.append((prefix, sorted(sd), len(rest))))
m2 = torch.nn.Sequential(m)
h2 = m2[0].lin._register_load_state_dict_pre_hook(lambda mod, sd, prefix, *rest: seen.append((type(mod).__name__, prefix)), with_module=True)
m2.load_state_dict(m2.state_dict(), strict=False)
print(seen)
