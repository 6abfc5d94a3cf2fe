import torch
A = torch.tensor([[4.0, 1.0], [1.0, 3.0]], dtype=torch.float64)
results = {
    "max": torch.max(A, 0), "sort": torch.sort(A, descending=True), "topk": torch.topk(A, 1),
    "kthvalue": torch.kthvalue(A, 1), "median": A.median(0), "mode": A.mode(0), "aminmax": torch.aminmax(A),
    "cummax": A.cummax(0), "frexp": torch.frexp(A), "eigh": torch.linalg.eigh(A), "slogdet": torch.linalg.slogdet(A),
    "qr": torch.linalg.qr(A), "svd": torch.linalg.svd(A), "lstsq": torch.linalg.lstsq(A, A), "lu": torch.linalg.lu(A),
    "lu_factor": torch.linalg.lu_factor(A), "inv_ex": torch.linalg.inv_ex(A), "cholesky_ex": torch.linalg.cholesky_ex(A),
    "var_mean": torch.var_mean(A), "svd_old": torch.svd(A), "solve_ex": torch.linalg.solve_ex(A, A),
}
for k, r in results.items():
    print(f"{k:12s}", type(r).__name__, isinstance(r, tuple), len(r))
# %%
print(torch.linalg.eigh(A))
print(torch.max(A, 1))
print(torch.linalg.slogdet(A).logabsdet, torch.linalg.qr(A).R)
vals, vecs = torch.linalg.eigh(A)
print(vals, vecs.shape)
sol = torch.linalg.lstsq(A, torch.ones(2, 1, dtype=torch.float64))
print(sol.solution.squeeze().round(decimals=6), sol.rank, sol.residuals, sol.driver if hasattr(sol, "driver") else "")
# %%
x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
s = x.sort()
print(s)
print(s.values.grad_fn.name(), s.indices.dtype)
s.values[0].backward()
print(x.grad)
mm = torch.aminmax(torch.tensor([[1, 5], [7, 2]]), dim=1)
print(mm.min, mm.max, type(mm).__name__)
print(torch.frexp(torch.tensor([8.0, 0.3])).mantissa)
print(torch.histogram(torch.tensor([1.0, 2.0, 1.0]), bins=2))
