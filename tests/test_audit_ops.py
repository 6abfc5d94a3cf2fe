"""Differential audit of everyday tensor ops against PyTorch: each case is a
snippet of PyTorch user code run with `torch` bound to PyTorch and to
jitgrad; what it prints, the exception it raises (type and message) and the
warnings it emits must be the same."""
import contextlib
import io
import re
import warnings

import numpy as np
import pytest

import jitgrad

torch = pytest.importorskip("torch")


def _run(lib, code):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        try:
            exec(code, {"torch": lib, "np": np})
        except Exception as e:  # noqa: BLE001  (the exception is part of the output)
            print(f"EXC {type(e).__name__}: {e}")
    for w in ws:
        print(f"WARN {w.category.__name__}: {w.message}")
    out = buf.getvalue().replace("jitgrad.", "torch.")
    return re.sub(r"0x[0-9a-f]+", "0x", out)


def check(code):
    want, got = _run(torch, code), _run(jitgrad, code)
    assert got == want, f"\n--- torch:\n{want}\n--- jitgrad:\n{got}"


CASES = {
    # torch.tensor: dtype inference from nested data, errors for bad data
    "tensor_numpy_scalars": "print(torch.tensor([np.float64(1.), 2.]), torch.tensor([1, np.float32(2.)]).dtype,"
                            " torch.tensor([[np.float64(1.5)]]).dtype, torch.tensor([np.float16(1.5), 2]).dtype)",
    "tensor_list_of_arrays": "print(torch.tensor([np.array([1.5, 2.]), np.array([1., 2.])]),"
                             " torch.tensor([np.array([1, 2], dtype=np.int32)]))",
    "tensor_list_of_0d_tensors": "print(torch.tensor([torch.tensor(1.5, dtype=torch.float64), 2]),"
                                 " torch.tensor([torch.tensor(1, dtype=torch.int32), 2]).dtype)",
    "tensor_list_of_tensors": "print(torch.tensor([torch.tensor([1., 2.]), torch.tensor([3., 4.])]))",
    "tensor_range": "print(torch.tensor(range(3)), torch.tensor([range(2), range(2)]))",
    "tensor_ragged": "print(torch.tensor([[1, 2], [3]]))",
    "tensor_ragged_deep": "print(torch.tensor([[[1, 2], [3, 4]], [[1, 2], [3]]]))",
    "tensor_not_sequence": "print(torch.tensor([[1, 2], 3]))",
    "tensor_str": "print(torch.tensor('a'))",
    "tensor_nested_str": "print(torch.tensor(['a']))",
    "tensor_none": "print(torch.tensor(None))",
    "tensor_none_item": "print(torch.tensor([1, None]))",
    "tensor_dict": "print(torch.tensor({1: 2}))",
    # creation functions: errors and dtypes
    "zeros_negative": "print(torch.zeros(2, -1))",
    "ones_negative": "print(torch.ones(-1))",
    "zeros_float_size": "print(torch.zeros(2.5))",
    "zeros_float_item": "print(torch.zeros(2, 2.5))",
    "ones_str_size": "print(torch.ones('a'))",
    "zeros_int_requires_grad": "print(torch.zeros(2, dtype=torch.long, requires_grad=True))",
    "full_int_requires_grad": "print(torch.full((2,), 1, requires_grad=True))",
    "full_int_size": "print(torch.full(2, 1.))",
    "arange_bounds": "print(torch.arange(1, 0))",
    "arange_step_sign": "print(torch.arange(0, 5, -1))",
    "arange_float_dtype_long": "print(torch.arange(0.5, 3, dtype=torch.long), torch.arange(5, 0, -2))",
    "arange_step_truncated": "print(torch.arange(0, 1, 0.3, dtype=torch.long))",
    "arange_inf": "print(torch.arange(float('inf')))",
    "arange_bool": "print(torch.arange(3, dtype=torch.bool))",
    "linspace_negative": "print(torch.linspace(0, 1, -1))",
    "eye_negative": "print(torch.eye(-1))",
    "rand_like_int": "print(torch.rand_like(torch.arange(3)))",
    "randn_int": "print(torch.randn(3, dtype=torch.long))",
    "randint_two_args": "print(torch.randint(5, (2, 2)).shape, torch.randint(5, (3,)).dtype,"
                        " torch.randint(0, 5, (2,), dtype=torch.float32).dtype)",
    "randint_requires_grad": "print(torch.randint(5, (2,), requires_grad=True))",
    "randint_bounds": "print(torch.randint(5, 3, (2,)))",
    # torch.Size
    "size_concat": "s = torch.zeros(2, 3).shape\nprint(s + (1,), (1,) + s, s[1:], s * 2, 2 * s, s[::-1], s[0],"
                   " type(s))",
    "size_concat_list": "print(torch.zeros(2, 3).shape + [1])",
    # conversions
    "type_string": "x = torch.tensor([1.5])\nprint(x.type('torch.LongTensor'), x.type('torch.DoubleTensor').dtype,"
                   " x.type(torch.int32), x.short(), x.char(), torch.tensor([300.]).byte())",
    "type_invalid_string": "print(torch.tensor([1.]).type('torch.float64'))",
    "finfo_iinfo": "print(torch.finfo(torch.float32), torch.finfo(torch.float64), torch.finfo(torch.float16),"
                   " torch.finfo(), torch.iinfo(torch.int64), torch.iinfo(torch.uint8))\n"
                   "print(torch.finfo(torch.float32).eps, torch.finfo(torch.float64).max, torch.iinfo(torch.int32).min,"
                   " torch.finfo(torch.float32).tiny, torch.finfo(torch.float32).bits, torch.finfo().dtype)",
    "finfo_int": "print(torch.finfo(torch.int64))",
    "iinfo_float": "print(torch.iinfo(torch.float32))",
    "result_type": "print(torch.result_type(torch.tensor([1]), 1.0), torch.result_type(torch.tensor([1], "
                   "dtype=torch.int32), torch.tensor(1)), torch.result_type(torch.tensor(1.), torch.tensor([1])))",
    # comparisons and boolean ops
    "comparison_functions": "a = torch.tensor([1., 2., 3.]); b = torch.tensor([3., 2., 1.])\n"
                            "print(torch.eq(a, b), torch.lt(a, 2), torch.gt(a, b), torch.ne(a, 1), torch.le(a, b),"
                            " torch.ge(a, 3), torch.greater(a, 1), torch.less_equal(a, b), torch.not_equal(a, b),"
                            " a.eq(b), a.lt(2.5))",
    "comparison_function_bad_args": "print(torch.eq(1, torch.tensor([1.])))",
    "compare_with_list": "a = torch.tensor([1., 2.])\nprint(a == [1, 2], a != [1, 2], a == (1, 2))",
    "order_with_list": "print(torch.tensor([1., 2.]) < [1, 2])",
    "logical_functions": "m = torch.tensor([True, False, True]); n = torch.tensor([[False], [True]])\n"
                         "print(torch.logical_and(m, n), torch.logical_or(m, n), torch.logical_xor(m, n),"
                         " torch.logical_not(m), m.logical_and(n), torch.logical_not(torch.tensor([0., 2.])),"
                         " torch.logical_and(torch.tensor([1., 0.]), torch.tensor([2, 2])))",
    "logical_scalar_arg": "print(torch.logical_or(torch.tensor([True]), 2))",
    "bitwise_float": "print(torch.tensor([1., 2.]) & torch.tensor([1., 2.]))",
    "bitwise_int_float_scalar": "print(torch.tensor([1, 2]) | 1.5)",
    "bitwise_double": "print(torch.tensor([1.], dtype=torch.float64) ^ 1)",
    "bitwise_mixed": "m = torch.tensor([True, False])\nprint(m & torch.tensor([2, 3]), True & m, 1 | torch.tensor([1, 2]),"
                     " 2 ^ torch.tensor([3]), m ^ True, m | m)",
    "invert_float": "print(~torch.tensor([1.]))",
    # selection
    "index_select": "x = torch.arange(6.).reshape(2, 3).requires_grad_()\ny = x.index_select(1, torch.tensor([2, 0, 2]))\n"
                    "(y * torch.arange(6.).reshape(2, 3)).sum().backward()\n"
                    "print(y, x.grad, torch.index_select(x, 0, torch.tensor(1)))",
    "index_select_out_of_range": "print(torch.arange(6.).reshape(2, 3).index_select(1, torch.tensor([3])))",
    "index_select_float_index": "print(torch.arange(3.).index_select(0, torch.tensor([1.])))",
    "index_select_list": "print(torch.arange(3.).index_select(0, [1]))",
    "masked_select": "x = torch.arange(6.).reshape(2, 3).requires_grad_()\n"
                     "y = torch.masked_select(x, torch.tensor([True, False, True]))\ny.sum().backward()\n"
                     "print(y, x.grad, x.masked_select(x > 2))",
    "masked_select_int_mask": "print(torch.masked_select(torch.arange(3.), torch.tensor([1, 0, 1])))",
    "masked_fill_": "x = torch.arange(6.).reshape(2, 3)\nx.masked_fill_(x > 2, -1)\nprint(x)\n"
                    "w = torch.ones(3, requires_grad=True)\ny = w * 2\ny.masked_fill_(torch.tensor([True, False, True]), 0.)\n"
                    "y.sum().backward()\nprint(y, w.grad)",
    "type_as_clone_detach": "x = torch.tensor([1.5, 2.5], requires_grad=True)\n"
                            "print(x.type_as(torch.tensor([1])), x.type_as(x) is x, torch.clone(x), torch.detach(x),"
                            " torch.is_floating_point(x), torch.is_floating_point(torch.tensor([1])))",
    # shape helpers
    "tile_flip_ravel": "x = torch.arange(6.).reshape(2, 3).requires_grad_()\n"
                       "y = x.tile((2,)) + x.tile(2, 1, 1)[0].tile(1, 2)\nz = x.fliplr() * torch.arange(3.)\n"
                       "(y.sum() + z.sum() + (x.flipud()[0] * 2).sum() + x.t().ravel()[1]).backward()\n"
                       "print(y, z, x.grad, torch.ravel(x))",
    "fliplr_1d": "print(torch.arange(3).fliplr())",
    "flipud_0d": "print(torch.tensor(1.).flipud())",
    "unflatten": "x = torch.arange(6.).reshape(2, 3)\nprint(x.unflatten(1, (3, 1)).shape, x.unflatten(-1, (-1, 1)).shape,"
                 " torch.arange(8).unflatten(0, (2, 2, 2)))",
    "unflatten_bad_sizes": "print(torch.arange(6.).reshape(2, 3).unflatten(1, (2, 2)))",
    "tensor_split": "x = torch.arange(10.).reshape(2, 5)\nprint(x.tensor_split(3, dim=1), x.tensor_split([1, 4], dim=1),"
                    " torch.tensor_split(torch.arange(7), 3), torch.arange(5).tensor_split(torch.tensor([2])),"
                    " torch.arange(5).tensor_split([2, 9]))",
    "hsplit_vsplit": "x = torch.arange(12.).reshape(2, 6)\nprint(x.hsplit(3), torch.vsplit(x, 2), torch.hsplit(x, [1]),"
                     " torch.hsplit(torch.arange(4), 2))",
    "hsplit_uneven": "print(torch.arange(12.).reshape(2, 6).hsplit(4))",
    "vsplit_1d": "print(torch.arange(4.).vsplit(2))",
    "dstack_column_stack": "a = torch.arange(3); b = torch.arange(3, 6)\nprint(torch.dstack([a, b]),"
                           " torch.column_stack([a, b]), torch.column_stack([a, torch.ones(3, 2, dtype=torch.long)]),"
                           " torch.dstack([torch.ones(2, 2), torch.zeros(2, 2)]).shape)",
    "repeat_interleave": "x = torch.arange(6.).reshape(2, 3).requires_grad_()\ny = x.repeat_interleave(2)\n"
                         "z = x.repeat_interleave(torch.tensor([1, 2]), dim=0)\n"
                         "(y.sum() + (z * torch.arange(9.).reshape(3, 3)).sum()).backward()\n"
                         "print(y, z, x.grad, torch.repeat_interleave(torch.tensor([1, 2])),"
                         " x.repeat_interleave(2, dim=-1).shape, torch.tensor(5.).repeat_interleave(3))",
    "repeat_interleave_bad": "print(torch.arange(6.).reshape(2, 3).repeat_interleave(torch.tensor([1, 2, 3]), dim=0))",
    "repeat_interleave_negative": "print(torch.arange(3.).repeat_interleave(-1))",
    "stride": "x = torch.arange(6.).reshape(2, 3)\nprint(x.stride(), x.stride(0), x.stride(-1), x.t().stride(),"
              " x[:, ::2].stride(), torch.tensor(1.).stride())",
    # reductions
    "var_positional_unbiased": "x = torch.tensor([[1., 2., 3.], [4., 5., 9.]])\n"
                               "print(x.var(0, True), x.var(0, False, True), x.std(1, True, keepdim=True),"
                               " torch.var(x, 1, False), x.var(True), x.std(False), x.var(dim=(0, 1)), x.var(()))",
    "var_int": "print(torch.arange(6).reshape(2, 3).var(1))",
    "std_bool": "print(torch.tensor([True, False]).std())",
    "var_dim_out_of_range": "print(torch.ones(2, 3).var(5))",
    "std_dim_repeated": "print(torch.ones(2, 3).std((0, 0)))",
    "var_dof_warning": "print(torch.tensor([1.]).var(), torch.tensor(3.).std(), torch.ones(2, 1).std(1))",
    "var_mean_std_mean": "x = torch.tensor([[1., 2., 3.], [4., 5., 9.]], requires_grad=True)\n"
                         "v, m = torch.var_mean(x, 1)\n(v.sum() + m.sum()).backward()\n"
                         "print(v, m, x.grad, torch.std_mean(x, dim=1, keepdim=True), torch.var_mean(x, 0, correction=0),"
                         " torch.std_mean(x), torch.std_mean(torch.tensor([1.])))",
    "argmax_empty": "print(torch.zeros(0, 3).argmax())",
    "argmin_empty_dim": "print(torch.zeros(0, 3).argmin(0))",
    "argmax_empty_other_dim": "print(torch.zeros(0, 3).argmax(1), torch.zeros(0, 3).max(1), torch.zeros(0, 3).amax(1))",
    "amax_empty_dim": "print(torch.zeros(0, 3).amax(0))",
    "amax_empty_all": "print(torch.zeros(0, 3).amax())",
    "logsumexp_empty_dim": "print(torch.zeros(0, 3).logsumexp(0), torch.zeros(0, 3).logsumexp(1),"
                           " torch.zeros(0, 3).softmax(0), torch.zeros(2, 0).log_softmax(1))",
    # clamp: a 0-d tensor that needs no grad is a Number next to a Number bound
    "clamp_mixed_bounds": "x = torch.tensor([[1.5, 2.5], [3, 4]], requires_grad=True)\n"
                          "y = x.clamp(2, torch.tensor(3.))\ny.sum().backward()\n"
                          "print(y, x.grad, torch.clamp(x, min=torch.tensor(2.), max=3.5),"
                          " torch.clamp(torch.tensor([1, 5]), 2, torch.tensor(3.)),"
                          " torch.clamp(torch.tensor([1, 5]), torch.tensor(3), 4.5))",
    "clamp_mixed_1d_bound": "print(torch.clamp(torch.ones(2), 2, torch.tensor([3., 3.5])))",
    "clamp_mixed_grad_bound": "print(torch.clamp(torch.ones(2), 2, torch.tensor(3., requires_grad=True)))",
    # devices
    "device": "d = torch.device('cuda' if torch.cuda.is_available() else 'cpu')\nx = torch.ones(2).to(d)\n"
              "print(d, repr(d), x.device, x.device == d, x.device == 'cpu', x.device.type, torch.device('cpu:0'),"
              " repr(torch.device('cpu', 0)), torch.device('cuda:1').index, torch.cuda.device_count(),"
              " x.to('cpu', torch.float64), torch.zeros(2, device='cpu'), x.cpu())",
    "device_bad": "print(torch.device('foo'))",
    "to_cuda": "print(torch.ones(2).to('cuda'))",
    "cuda_method": "print(torch.ones(2).cuda())",
    "max_float_dim": "print(torch.max(torch.ones(2), 1.5))",
    "min_float_dim": "print(torch.min(torch.ones(2), 0.5))",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name):
    check(CASES[name])


def test_float_of_requires_grad_warns_once_per_process():
    """float() of a tensor that requires grad: torch's TORCH_WARN_ONCE (its
    message, once per process; int() and .item() do not warn)."""
    from jitgrad.core import warn as functions
    msg = ("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
           "Consider using tensor.detach() first. (Triggered internally at /__w/pytorch/pytorch/torch/csrc/"
           "autograd/generated/python_variable_methods.cpp:822.)")
    functions._WARNED.discard(msg)
    x = jitgrad.tensor([1., 2.], requires_grad=True)
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        int(x[1])
        x[0].item()
        assert float(x[0] * 2) == 2.0
        float(x[1])
    assert [str(w.message) for w in ws] == [msg]
    assert ws[0].filename == __file__      # points at the user's line
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        float(jitgrad.tensor(1.))
    assert not ws


def test_comparison_functions_are_bool_tensors():
    a = jitgrad.tensor([1., 2.])
    for f in (jitgrad.eq, jitgrad.ne, jitgrad.lt, jitgrad.le, jitgrad.gt, jitgrad.ge):
        r = f(a, jitgrad.tensor([2., 2.]))
        assert r.dtype is jitgrad.bool and r.shape == (2,)
    # (torch 2.13's messages: the method's lists the arguments after self, the function's all of them)
    with pytest.raises(TypeError, match=r"eq\(\) received an invalid combination of arguments - got \(list\)"):
        a.eq([1, 2])
    with pytest.raises(TypeError, match=r"eq\(\) received an invalid combination of arguments - got \(Tensor, list\)"):
        jitgrad.eq(a, [1, 2])
