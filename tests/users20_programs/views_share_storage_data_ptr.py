import torch

base = torch.arange(6.0)
views = {"view": base.view(2, 3), "slice": base[2:], "t": base.view(2, 3).t(),
         "reshape": base.reshape(3, 2), "flatten_of_t": base.view(2, 3).t().flatten()}
for name, v in views.items():
    print(name, v.data_ptr() == base.data_ptr() or v.storage_offset() > 0, v._base is base, v.is_contiguous())
# %%
s = base[2:]
s[0] = 100.0
print(base, s.storage_offset(), s.untyped_storage().data_ptr() == base.untyped_storage().data_ptr())
print(base.untyped_storage().nbytes(), s.untyped_storage().size())
# %%
c = base.clone()
print(c.data_ptr() == base.data_ptr(), c._base is None, base.view(3, 2)._base is base)
u = base.unsqueeze(0)
u.mul_(2)
print(base)
# %%
x = torch.ones(2, 2, requires_grad=True)
xv = x[0]
print(xv._base is x, xv.grad_fn.name(), xv.is_leaf)
# %%
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore")     # (TypedStorage's deprecation warning: first call in a process only)
    base.storage()
# the older way answers check that two tensors share memory
print(base.storage().data_ptr() == base[3:].storage().data_ptr(), len(base[3:].storage()), base.storage().size())
print(base.storage().data_ptr() == base.clone().storage().data_ptr(), base.view(2, 3).storage().tolist())
