"""Every Numba kernel of jitgrad in one namespace (`K`): the op math
(`opkernels.py`), the reverse and tangent sweeps (`sweep.py`, `tangent_sweep.py`), and the
replay's forward (`replay_forward.py`) and its guards, value-and-grad and
batched sweeps (`replay_sweep.py`).

Numba's on-disk cache (``cache=True``) only notices edits to the file that
defines a cached function, while these kernels call each other across the
four files (and `special_sweep.py`'s per-op kernels) and freeze the op
table's opcodes: the cache stamp at the end drops all of their cache files
when any of them, `specfun.py` or the op table changes.
"""
import glob
import hashlib
import os

from . import numba_start
from . import ops as O
from .opkernels import (  # noqa: F401
    ABS, ACOS, ACOSH, ADD, ASIN, ASINH, ATAN, ATAN2, ATANH, BULK, CEIL, CLAMP_MAX, CLAMP_MIN, COPY, COPYSIGN,
    COS, COSH, CUMSUM, DIGAMMA, DIV, ELU, ERF, ERFC, ERFINV, EXP, EXP2, EXPM1, FLOOR, FMOD, FRAC, GATHER, GATHER_SUM, GATHER_KEEPS_ZERO, SUM_IDX_PLACE,
    GELU, HOST, HYPOT, INV_SQRT_2, INV_SQRT_PI_2, LEAKY_RELU, LGAMMA, LN_2, LOG, LOG10, LOG1P, LOG2,
    LOGADDEXP, LOGADDEXP2, LOGIT, MAXIMUM, MINIMUM, MUL, NEG, NORM, N_ELEMENTWISE, POLYGAMMA, POW, PROD,
    RECIPROCAL, REC_A, REC_B, REC_IA, REC_M, REC_N, REC_OP, REC_OUT, REC_WIDTH, RELU, REMAINDER, ROUND, RSQRT,
    SAVES_A, SAVES_B, SAVES_OUT, SCATTER, SIGMOID, SIGN, SILU, SIN, SINC, SINH, SOFTPLUS, SQRT,
    SQRT_2_OVER_PI, SQUARE, SUB, SUM, SUM_IDX, TAN, TANH, TRUNC, XLOGY, _MASKED, _SAVES, _erf, _floor_div,
    _logit, _pow_dx, _pow_dx_number, POW_NUMBER, DIV_TENSOR_SELF, REACH_ZERO, ZERO_TENSOR_GRAD, pow_number, SPECIAL_OPS, backward_name, common_partials, elementwise, elementwise_common,
    elementwise_special, from_result, masked_x, masked_y, zero_upstream, remainder_vp, round_vp, erfinv_vp, lgamma_vp,
    digamma_vp, polygamma_vp,
    modified_saved, partials, saved_operands, saves_values, value)
from .opkernels import (  # noqa: F401
    EQ, GE, GT, ISFINITE, ISINF, ISNAN, LE, LOGICAL_AND, LOGICAL_NOT, LOGICAL_OR, LOGICAL_XOR, LT, MASK_DROP,
    MASK_KEEP, NE, NONDIFF_BASE, SHIFT_OF_MAX, SHIFT_OF_MAX_KEEP_INF, TO_BOOL, TO_FLOAT32, TO_FLOAT64, TO_INT64)
from .sweep_basic import AT_HOST, BASIC_OPS, DONE, ESCALATE, FREED, MODIFIED, sweep_basic, sweep_scalar  # noqa: F401
from .sweep import (  # noqa: F401
    NO_PD, NO_PROG, NO_STALE, PROG_GATHER1, PROG_OTHER, PROG_SCALAR, PROG_SCALAR32,
    PROG_SCALAR32IN, PROG_WIDTH, _prod_backward, _sweep, elementwise_map, sparse_rows_times, sweep,
    sweep_tiered, SPECIAL_RECORDS_ALONE)
from .tangent_sweep import tangent_sweep  # noqa: F401
from .replay_forward import (  # noqa: F401
    FM_ACC, FM_DIV, FM_F64ACC, FM_HOST, FM_R32, FM_R32IN, FM_R32SCALE, FM_ZD, FM_ZERO, FWD_DONE, FWD_HOST,
    FWD_MISMATCH, PROG_ARRAY, PROG_POW_NUMBER, PROG_SUM, PROG_SUMIDX, G_EQ, G_GE, G_GT, G_INT, G_LE, G_LT, G_NE, G_TRUTH, G_VALUE, _forward, _fwd_structural,
    _same, array_values, forward_check, forward_sweep, pairwise_sum, record_matches)
from .replay_inline import (  # noqa: F401
    IP_CHECK, IP_FORWARD, IP_VALUE_AND_GRAD, RF_FIRST_A, RF_FIRST_B, RF_REACHED, VG_DONE, VG_FREED, VG_GUARD, VG_HOST,
    check_guards, forward_program, inline_program, program_run, replay_reverse_flags, reverse_flags)
from .replay_scalar import _integral, _log_like, _math1, _py_pow, _r32, fwd_scalar, fwd_scalar32, pow_number_fwd  # noqa: F401
from .replay_blas import LAYOUT_C, LAYOUT_F, LAYOUT_LOOP, matmul_forward  # noqa: F401
from .replay_select import (  # noqa: F401
    SELECT_ORDER, SEL_HEADER, SEL_KTH, SEL_TOPK, SEL_TOPK_SMALLEST, SEL_TOPK_SMALLEST_UNSORTED, SEL_TOPK_UNSORTED, SEL_MAX, SEL_MEDIAN, SEL_MIN, SEL_NANMEDIAN, SEL_SORT, SEL_SORT_DESC, _fwd_select,
    _stable_order)
from .replay_sweep import (  # noqa: F401
    SMALL_OPS, _SMALL_OP, _batch_points, _exact_array, batch_sweep, batch_sweep_parallel, classify, dependence,
    forward_points, guards_points, sweep_points,
    replay_reverse, value_and_grad_program)
from .special_sweep import (  # noqa: F401
    RECORD_DONE, RECORD_FREED, RECORD_MODIFIED, SPECIAL_MAPS, _map_digamma, _map_erfinv, _map_lgamma,
    _map_polygamma, _map_remainder, _map_round, common_map, record_partials, special_record, value_map)
from . import opkernels as _opkernels, replay_forward as _replay_forward, replay_inline as _replay_inline, replay_sweep as _replay_sweep
from . import sweep_basic as _sweep_basic, replay_scalar as _replay_scalar, replay_select as _replay_select, special_sweep as _special_sweep
from . import replay_blas as _replay_blas
from . import loss_kernels as _loss_kernels
from .loss_kernels import (  # noqa: F401
    BATCH_NORM, BN_B, BN_W, HUBER_LOSS, LF_A, LF_B, LF_F32, LF_MEAN, MSE_LOSS, SMOOTH_L1_LOSS, VAR, VAR_MEAN32,
    VAR_WELFORD)
from . import smallmath, specfun, torch_sum as _torch_sum
from . import sweep as _sweep_module, tangent_sweep as _tangent_sweep, opkernels_math as _opkernels_math


# ----- the cache stamp -------------------------------------------------------
# The cached kernels froze the op table's facts (opcodes, saved values, masked
# gradients), smallmath's set of small-array ops, and each other's code (they
# call across the files). A stamp of all of that, kept beside the cache, drops
# every kernel cache file when any of it changes (else a stale kernel would
# silently run, say, the old opcode numbering).
_JITTED = (_opkernels, _opkernels_math, _sweep_basic, _sweep_module, _tangent_sweep, _replay_forward, _replay_inline, _replay_scalar,
           _replay_select, _replay_sweep, specfun, _special_sweep, _replay_blas, _torch_sum, _loss_kernels)


def _stamp() -> str:
    h = hashlib.sha1(repr([(op.name, op.opcode, op.saves, op.kind, op.masked, op.keeps_zero) for op in O.TABLE]
                          + [smallmath.SMALL_MAX, smallmath.ARRAY_MAX, sorted(smallmath.SMALL_OPS)]).encode())
    for mod in _JITTED:
        with open(mod.__file__, "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def _check_cache_stamp() -> None:
    try:
        cache_dir = sweep._cache._cache_path
    except AttributeError:          # no caching (NUMBA_DISABLE_JIT=1)
        return
    path = os.path.join(cache_dir, "kernels.jitgrad-stamp")
    stamp = _stamp()
    try:
        with open(path) as f:
            if f.read() == stamp:
                return
    except OSError:
        pass
    try:
        os.makedirs(cache_dir, exist_ok=True)
        for mod in _JITTED:
            short = mod.__name__.rsplit(".", 1)[1]
            for name in glob.glob(os.path.join(cache_dir, f"{short}.*.nb[ic]")):
                os.remove(name)
        with open(path, "w") as f:
            f.write(stamp)
    except OSError:
        pass    # a read-only cache: Numba then compiles in memory anyway


_check_cache_stamp()
numba_start.defer_blas_probe()
