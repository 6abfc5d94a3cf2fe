"""torch 2.13's signatures of its functions and Tensor methods, as its
python_arg_parser prints them in its TypeErrors (data for arg_types)."""
from __future__ import annotations

_STD_VAR = ("(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False, *, Tensor out = None)",
            "(Tensor input, tuple of ints dim = None, *, Number correction = None, bool keepdim = False, "
            "Tensor out = None)",
            "(Tensor input, bool unbiased = True)")
_STD_VAR_MEAN = ("(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False)",
                 "(Tensor input, tuple of ints dim = None, *, Number correction = None, bool keepdim = False)",
                 "(Tensor input, bool unbiased = True)")
_ALL_ANY = ("(Tensor input, *, Tensor out = None)",
            "(Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None)",
            "(Tensor input, int dim, bool keepdim = False, *, Tensor out = None)")
# (a creation function's keywords between `out` and requires_grad)
_OPTS = ("torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, "
         "bool pin_memory = False, ")
_MOVEDIM = ("(Tensor input, int source, int destination)",
            "(Tensor input, tuple of ints source, tuple of ints destination)")
_TENSOR_OR_NUMBER = ("(Tensor input, Tensor other, *, Tensor out = None)", "(Tensor input, Number other, *, Tensor out = None)")
_MEDIAN = ("(Tensor input)", "(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)")
# name -> (the function's signatures as torch prints them, whether torch has hidden
# overloads too (deprecated, Dimname): then a lone signature that doesn't fit the
# argument count gives the "invalid combination" message, not "takes N positional")
FUNCTIONS: dict[str, tuple[tuple[str, ...], bool]] = {
    "add": (("(Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)",), True),
    "sub": (("(Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)",), True),
    "mul": (("(Tensor input, Tensor other, *, Tensor out = None)",), False),
    "div": (("(Tensor input, Tensor other, *, Tensor out = None)",
             "(Tensor input, Tensor other, *, str rounding_mode, Tensor out = None)",
             "(Tensor input, Number other, *, str rounding_mode)"), False),
    "sum": (("(Tensor input, *, torch.dtype dtype = None)",
             "(Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None, "
             "Tensor out = None)"), True),
    "mean": (("(Tensor input, *, torch.dtype dtype = None, Tensor out = None)",
              "(Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None, "
              "Tensor out = None)"), True),
    "prod": (("(Tensor input, *, torch.dtype dtype = None)",
              "(Tensor input, int dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)"),
             True),
    "clamp": (("(Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)",
               "(Tensor input, Number min = None, Number max = None, *, Tensor out = None)"), False),
    "matmul": (("(Tensor input, Tensor other, *, Tensor out = None)",), False),
    "mm": (("(Tensor input, Tensor mat2, *, Tensor out = None)",
            "(Tensor input, Tensor mat2, torch.dtype out_dtype, *, Tensor out = None)"), False),
    "pow": (("(Tensor input, Tensor exponent, *, Tensor out = None)",
             "(Number self, Tensor exponent, *, Tensor out = None)",
             "(Tensor input, Number exponent, *, Tensor out = None)"), False),
    "max": (("(Tensor input, *, Tensor out = None)", "(Tensor input, Tensor other, *, Tensor out = None)",
             "(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)"), True),
    "min": (("(Tensor input, *, Tensor out = None)", "(Tensor input, Tensor other, *, Tensor out = None)",
             "(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)"), True),
    "where": (("(Tensor condition)", "(Tensor condition, Tensor input, Tensor other, *, Tensor out = None)",
               "(Tensor condition, Number self, Tensor other)", "(Tensor condition, Tensor input, Number other)",
               "(Tensor condition, Number self, Number other)"), False),
    "squeeze": (("(Tensor input)", "(Tensor input, int dim)", "(Tensor input, tuple of ints dim)"), True),
    "cat": (("(tuple of Tensors tensors, int dim = 0, *, Tensor out = None)",), False),
    "stack": (("(tuple of Tensors tensors, int dim = 0, *, Tensor out = None)",), False),
    "transpose": (("(Tensor input, int dim0, int dim1)",), False),
    "unsqueeze": (("(Tensor input, int dim)",), False),
    "softmax": (("(Tensor input, int dim, torch.dtype dtype = None)",), False),
    "log_softmax": (("(Tensor input, int dim, torch.dtype dtype = None, *, Tensor out = None)",), False),
    "argmax": (("(Tensor input, int dim = None, bool keepdim = False, *, Tensor out = None)",), False),
    "argmin": (("(Tensor input, int dim = None, bool keepdim = False, *, Tensor out = None)",), False),
    "cumsum": (("(Tensor input, int dim, *, torch.dtype dtype = None, Tensor out = None)",), False),
    "cumprod": (("(Tensor input, int dim, *, torch.dtype dtype = None, Tensor out = None)",), False),
    "flatten": (("(Tensor input, int start_dim = 0, int end_dim = -1)",), False),
    "topk": (("(Tensor input, int k, int dim = -1, bool largest = True, bool sorted = True, *, "
              "tuple of Tensors out = None)",), False),
    "reshape": (("(Tensor input, tuple of ints shape)",), False),
    "chunk": (("(Tensor input, int chunks, int dim = 0)",), False),
    "gather": (("(Tensor input, int dim, Tensor index, *, bool sparse_grad = False, Tensor out = None)",), False),
    "index_select": (("(Tensor input, int dim, Tensor index, *, Tensor out = None)",), False),
    "scatter": (("(Tensor input, int dim, Tensor index, Tensor src, *, Tensor out = None)",
                 "(Tensor input, int dim, Tensor index, Tensor src, *, str reduce, Tensor out = None)",
                 "(Tensor input, int dim, Tensor index, Number value, *, Tensor out = None)",
                 "(Tensor input, int dim, Tensor index, Number value, *, str reduce, Tensor out = None)"), True),
    "masked_fill": (("(Tensor input, Tensor mask, Tensor value)", "(Tensor input, Tensor mask, Number value)"),
                    True),
    "all": (_ALL_ANY, True),
    "any": (_ALL_ANY, True),
    "nansum": (("(Tensor input, tuple of ints dim = None, bool keepdim = False, *, torch.dtype dtype = None, "
                "Tensor out = None)",), False),
    "nanmean": (("(Tensor input, tuple of ints dim = None, bool keepdim = False, *, torch.dtype dtype = None, "
                 "Tensor out = None)",), False),
    "aminmax": (("(Tensor input, *, int dim = None, bool keepdim = False, tuple of Tensors out = None)",), False),
    "var_mean": (_STD_VAR_MEAN, True),
    "std_mean": (_STD_VAR_MEAN, True),
    "cummax": (("(Tensor input, int dim, *, tuple of Tensors out = None)",), True),
    "cummin": (("(Tensor input, int dim, *, tuple of Tensors out = None)",), True),
    "logcumsumexp": (("(Tensor input, int dim, *, Tensor out = None)",), True),
    "flip": (("(Tensor input, tuple of ints dims)",), False),
    "select": (("(Tensor input, int dim, int index)",), False),
    "tril": (("(Tensor input, int diagonal = 0, *, Tensor out = None)",), False),
    "triu": (("(Tensor input, int diagonal = 0, *, Tensor out = None)",), False),
    "swapdims": (("(Tensor input, int dim0, int dim1)",), False),
    "swapaxes": (("(Tensor input, int axis0, int axis1)",), False),
    "round": (("(Tensor input, *, Tensor out = None)", "(Tensor input, *, int decimals, Tensor out = None)"), False),
    "isclose": (("(Tensor input, Tensor other, float rtol = 1e-05, float atol = 1e-08, bool equal_nan = False)",),
                False),
    "equal": (("(Tensor input, Tensor other)",), False),
    "diag": (("(Tensor input, int diagonal = 0, *, Tensor out = None)",), False),
    "diagonal": (("(Tensor input, int offset = 0, int dim1 = 0, int dim2 = 1)",), True),
    "unbind": (("(Tensor input, int dim = 0)",), True),
    "renorm": (("(Tensor input, Number p, int dim, Number maxnorm, *, Tensor out = None)",), False),
    "arange": (tuple(t.replace("OUT, ", _OPTS) for t in (
        "(Number end, *, Tensor out = None, OUT, bool requires_grad = False)",
        "(Number start, Number end, *, OUT, bool requires_grad = False)",
        "(Number start, Number end, Number step = 1, *, Tensor out = None, OUT, bool requires_grad = False)")),
        False),
    "eye": (("(int n, *, Tensor out = None, " + _OPTS + "bool requires_grad = False)",
             "(int n, int m, *, Tensor out = None, " + _OPTS + "bool requires_grad = False)"), False),
    "randperm": (("(int n, *, torch.Generator generator, Tensor out = None, " + _OPTS + "bool requires_grad = False)",
                  "(int n, *, Tensor out = None, " + _OPTS + "bool requires_grad = False)"), False),
    "linspace": (tuple(f"({a} start, {b} end, int steps, *, Tensor out = None, " + _OPTS + "bool requires_grad = False)"
                       for a, b in (("Tensor", "Tensor"), ("Number", "Tensor"), ("Tensor", "Number"),
                                    ("Number", "Number"))), False),
    "hstack": (("(tuple of Tensors tensors, *, Tensor out = None)",), False),
    "vstack": (("(tuple of Tensors tensors, *, Tensor out = None)",), False),
    "dstack": (("(tuple of Tensors tensors, *, Tensor out = None)",), False),
    "column_stack": (("(tuple of Tensors tensors, *, Tensor out = None)",), False),
    "tile": (("(Tensor input, tuple of ints dims)",), False),
    "roll": (("(Tensor input, tuple of ints shifts, tuple of ints dims = None)",), False),
    "movedim": (_MOVEDIM, False),
    "moveaxis": (_MOVEDIM, False),
    "diff": (("(Tensor input, int n = 1, int dim = -1, Tensor prepend = None, Tensor append = None, *, "
              "Tensor out = None)",), False),
    "rot90": (("(Tensor input, int k = 1, tuple of ints dims = None)",), False),
    "histc": (("(Tensor input, int bins = 100, Number min = 0, Number max = 0, *, Tensor out = None)",), False),
    "narrow": (("(Tensor input, int dim, Tensor start, int length)", "(Tensor input, int dim, int start, int length)"),
               False),
    "repeat_interleave": (("(Tensor input, Tensor repeats, int dim = None, *, int output_size = None)",
                           "(Tensor input, int repeats, int dim = None, *, int output_size = None)",
                           "(Tensor repeats, *, int output_size = None)"), False),
    "nan_to_num": (("(Tensor input, float nan = None, float posinf = None, float neginf = None, *, "
                    "Tensor out = None)",), False),
    "std": (_STD_VAR, True),
    "var": (_STD_VAR, True),
    "amax": (("(Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None)",), False),
    "amin": (("(Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None)",), False),
    "logsumexp": (("(Tensor input, tuple of ints dim, bool keepdim = False, *, Tensor out = None)",), True),
    "median": (_MEDIAN, True),
    "nanmedian": (_MEDIAN, True),
    "kthvalue": (("(Tensor input, int k, int dim = -1, bool keepdim = False, *, tuple of Tensors out = None)",),
                 True),
    "mode": (("(Tensor input, int dim = -1, bool keepdim = False, *, tuple of Tensors out = None)",), True),
    "sort": (("(Tensor input, *, bool stable, int dim = -1, bool descending = False, tuple of Tensors out = None)",
              "(Tensor input, int dim = -1, bool descending = False, *, tuple of Tensors out = None)"), True),
    "argsort": (("(Tensor input, *, bool stable, int dim = -1, bool descending = False, Tensor out = None)",
                 "(Tensor input, int dim = -1, bool descending = False)"), True),
    "permute": (("(Tensor input, tuple of ints dims)",), False),
    "count_nonzero": (("(Tensor input, int dim = None)", "(Tensor input, tuple of ints dim)"), False),
    **{name: (_TENSOR_OR_NUMBER, False) for name in ("eq", "ne", "lt", "le", "gt", "ge", "fmod", "copysign")},
    "remainder": ((_TENSOR_OR_NUMBER[0], "(Number self, Tensor other)", _TENSOR_OR_NUMBER[1]), False),
    "xlogy": ((_TENSOR_OR_NUMBER[0], "(Number self, Tensor other, *, Tensor out = None)", _TENSOR_OR_NUMBER[1]), False),
    "floor_divide": ((_TENSOR_OR_NUMBER[0], "(Tensor input, Number other)"), False),
    "true_divide": ((_TENSOR_OR_NUMBER[0], "(Tensor input, Number other)"), False),
    "clamp_min": (("(Tensor input, Tensor min, *, Tensor out = None)", "(Tensor input, Number min, *, Tensor out = None)"),
                  False),
    "clamp_max": (("(Tensor input, Tensor max, *, Tensor out = None)", "(Tensor input, Number max, *, Tensor out = None)"),
                  False),
    "maximum": (("(Tensor input, Tensor other, *, Tensor out = None)",), False),
    "minimum": (("(Tensor input, Tensor other, *, Tensor out = None)",), False),
    "cross": (("(Tensor input, Tensor other, int dim = None, *, Tensor out = None)",), False),
    "dot": (("(Tensor input, Tensor tensor, *, Tensor out = None)",), False),
    "outer": (("(Tensor input, Tensor vec2, *, Tensor out = None)",), False),
    "mv": (("(Tensor input, Tensor vec, *, Tensor out = None)",), False),
    "bmm": (("(Tensor input, Tensor mat2, *, Tensor out = None)",
             "(Tensor input, Tensor mat2, torch.dtype out_dtype, *, Tensor out = None)"), False),
    "lerp": (("(Tensor input, Tensor end, Tensor weight, *, Tensor out = None)",
              "(Tensor input, Tensor end, Number weight, *, Tensor out = None)"), False),
}
# methods whose signatures are not the functions' without `input` and `out`
METHODS: dict[str, tuple[tuple[str, ...], bool]] = {
    "mm": (("(Tensor mat2)",), False),
    "view": (("(torch.dtype dtype)", "(tuple of ints size)"), False),
    "reshape": (("(tuple of ints shape)",), False),
    "expand": (("(tuple of ints size, *, bool implicit = False)",), False),
    "repeat": (("(tuple of ints repeats)",), False),
    "permute": (("(tuple of ints dims)",), False),
    "triu_": (("(int diagonal = 0)",), False),
    "tril_": (("(int diagonal = 0)",), False),
    "sum_to_size": (("(tuple of ints size)",), False),
    "expand_as": (("(Tensor other)",), False),
    "view_as": (("(Tensor other)",), False),
    "reshape_as": (("(Tensor other)",), False),
    "type_as": (("(Tensor other)",), False),
}

_CONV = ("(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, tuple of ints padding = 0, "
         "tuple of ints dilation = 1, int groups = 1)",
         "(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, str padding = \"valid\", "
         "tuple of ints dilation = 1, int groups = 1)")
# torch.nn.functional's functions that are torch's C functions (their arguments
# meet its parser as given): jitgrad's Python ones int() a 1.5 stride
NN_FUNCTIONS: dict[str, tuple[tuple[str, ...], bool]] = {
    "conv1d": (_CONV, False),
    "conv2d": (_CONV, False),
    "conv3d": (_CONV, False),
    "avg_pool2d": (("(Tensor input, tuple of ints kernel_size, tuple of ints stride = None, tuple of ints padding = 0, "
                    "bool ceil_mode = False, bool count_include_pad = True, int divisor_override = None)",), False),
    "one_hot": (("(Tensor input, int num_classes = -1)",), False),
}
