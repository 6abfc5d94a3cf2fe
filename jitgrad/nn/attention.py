"""scaled_dot_product_attention and multi_head_attention_forward, written
as torch's reference (math) implementations in recorded ops: matmuls, a
softmax, masks as additive -inf. Re-exported by jitgrad.nn.functional."""
from __future__ import annotations
from ..functional import arg_types as AT

import contextlib
import enum
import math
import threading
import warnings

import numpy as np

from ..core import dtypes as D
from ..functional import functions as F
from ..functional.breadth_math import baddbmm
from ..functional.products import bmm
from ..tensors.tensor import Tensor
from . import bulk_ops


def _linear(x: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    out = F.matmul(x, bulk_ops.t(weight))
    return out if bias is None else out + bias


def _dropout(x: Tensor, p: float) -> Tensor:
    """F.dropout in training mode (nn.functional's, which imports this module)."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if p == 0 or x.numel() == 0:
        return x
    if p == 1:
        return x * F.zeros((), dtype=x.dtype)
    keep = F.rand(*x.shape)._data() < 1 - p
    return x * Tensor._wrap((keep / (1 - p)).astype(x.dtype.np))


def _additive_mask(mask: Tensor, dtype, allowed_when_true: bool) -> Tensor:
    """A float mask to add to the scores: a bool mask becomes 0 / -inf
    (SDPA: True = attend; MultiheadAttention: True = masked out)."""
    if mask.dtype.name == "bool":
        blocked = ~mask._data() if allowed_when_true else mask._data()
        return Tensor._wrap(np.where(blocked, -np.inf, 0.0).astype(dtype.np))
    if not mask.dtype.is_floating_point:
        raise AssertionError("only bool and floating types of masks are supported")
    return mask


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    for _i, (_n, _v) in enumerate((("query", query), ("key", key), ("value", value)), 1):
        AT.need_tensor("scaled_dot_product_attention", _v, _n, _i)
    if query.dtype is not key.dtype or query.dtype is not value.dtype:
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got query.dtype: "
                           f"{D.TORCH_NAMES[query.dtype.name]} key.dtype: {D.TORCH_NAMES[key.dtype.name]} and "
                           f"value.dtype: {D.TORCH_NAMES[value.dtype.name]} instead.")
    if query.ndim < 2 or key.ndim < 2 or value.ndim < 2:
        raise RuntimeError("Expected query, key, and value to all be at least 2 dimensional, but got query.dim: "
                           f"{query.ndim} key.dim: {key.ndim} and value.dim: {value.ndim} instead.")
    L, S = query.shape[-2], key.shape[-2]
    if enable_gqa and query.ndim >= 3 and key.shape[-3] != query.shape[-3]:
        rep = query.shape[-3] // key.shape[-3]
        key = F.reshape(F.expand(F.unsqueeze(key, -3), tuple(key.shape[:-2]) + (rep,) + tuple(key.shape[-2:])),
                        tuple(key.shape[:-3]) + (key.shape[-3] * rep,) + tuple(key.shape[-2:]))
        value = F.reshape(F.expand(F.unsqueeze(value, -3), tuple(value.shape[:-2]) + (rep,) +
                                   tuple(value.shape[-2:])),
                          tuple(value.shape[:-3]) + (value.shape[-3] * rep,) + tuple(value.shape[-2:]))
    flash = _flash_kernel(query, key, value, attn_mask, dropout_p, enable_gqa)
    enabled = getattr(_BACKENDS, "enabled", None)
    if enabled is not None:         # inside sdpa_kernel(...)
        if not ({SDPBackend.FLASH_ATTENTION, SDPBackend.MATH} & enabled):
            raise RuntimeError("No viable backend for scaled_dot_product_attention was found. This is likely due "
                               "to turning off both the math kernel and the fused kernels.")
        flash = flash and SDPBackend.FLASH_ATTENTION in enabled
        if not flash and SDPBackend.MATH not in enabled:
            raise RuntimeError("No available kernel.  Aborting execution.")
    if is_causal and attn_mask is not None and not flash:
        # (torch's math path refuses both; its CPU flash kernel applies both)
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
    scale_factor = 1 / math.sqrt(query.shape[-1]) if scale is None else scale
    scores = F.matmul(query, F.transpose(key, -2, -1)) * scale_factor
    if is_causal:
        causal = np.where(np.tril(np.ones((L, S), bool)), 0.0, -np.inf).astype(query.dtype.np)
        scores = scores + Tensor._wrap(causal)
    if attn_mask is not None:
        scores = scores + _additive_mask(attn_mask, query.dtype, allowed_when_true=True)
    weights = _safe_softmax(scores)
    if dropout_p > 0.0:
        weights = _dropout(weights, dropout_p)
    out = F.matmul(weights, value)
    return F._named(out, "ScaledDotProductFlashAttentionForCpuBackward0", query, key, value) if flash else out


def _flash_kernel(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None, dropout_p: float,
                  enable_gqa: bool) -> bool:
    """Whether torch's CPU dispatch picks its flash-attention kernel (its
    backward node's name) over the math composite: 4-D inputs, no dropout,
    equal batch sizes and (unless grouped) head counts, equal head dims, a
    mask broadcastable as (L, S) or (B|1, H|1, L|1, S|1) that needs no grad,
    unit last-dim strides (sdp_utils_cpp's checks, in its order)."""
    if dropout_p > 0.0 or not (query.ndim == key.ndim == value.ndim == 4):
        return False
    if not (query.shape[0] == key.shape[0] == value.shape[0]) or key.shape[1] != value.shape[1]:
        return False
    if query.shape[1] != key.shape[1] and not (enable_gqa and query.shape[1] % key.shape[1] == 0):
        return False
    if attn_mask is not None:
        if attn_mask.requires_grad:
            return False
        if attn_mask.ndim < 2:
            raise IndexError("Dimension specified as -2 but tensor has no dimensions" if attn_mask.ndim == 0 else
                             "Dimension out of range (expected to be in range of [-1, 0], but got -2)")
        m = tuple(attn_mask.shape)
        if m[-2] not in (query.shape[2], 1) or m[-1] not in (key.shape[2], 1):
            return False
        if attn_mask.ndim != 2 and not (attn_mask.ndim == 4 and m[0] in (1, query.shape[0])
                                        and m[1] in (1, query.shape[1])):
            return False
    if not (query.shape[-1] == key.shape[-1] == value.shape[-1]):
        return False
    if query.shape[2] == 0 or key.shape[2] == 0:
        return False
    return all(t.stride(-1) == 1 for t in (query, key, value))


def _safe_softmax(scores: Tensor) -> Tensor:
    """torch's _safe_softmax (SDPA's math path): a row masked out entirely
    (all -inf) gives zero weights and zero gradient, not NaN."""
    dead = np.isneginf(scores._data()).all(-1, keepdims=True)
    if not dead.any():
        return F.softmax(scores, -1)
    live = Tensor._wrap(~dead)
    zero = F.zeros((), dtype=scores.dtype)
    weights = F.where(live, F.softmax(F.where(live, scores, zero), -1), zero)
    return F._named(weights, "SafeSoftmaxBackward0", scores)


def canonical_mask(mask: Tensor | None, name: str, dtype, other: Tensor | None = None,
                   other_name: str = "") -> Tensor | None:
    """torch's F._canonical_mask: a bool mask (True: masked out) as an
    additive float one in `dtype`, a float mask as it is, other dtypes
    refused; a mask whose dtype differs from the `other` mask's warns (each
    module level canonicalises, so the levels below see float masks)."""
    if mask is None:
        return None
    if mask.dtype.name != "bool" and not mask.dtype.is_floating_point:
        raise AssertionError(f"only bool and floating types of {name} are supported")
    if other is not None and mask.dtype is not other.dtype:
        warnings.warn(f"Support for mismatched {name} and {other_name} is deprecated. Use same type for both "
                      "instead.", stacklevel=3)
    return _additive_mask(mask, dtype, allowed_when_true=False)


def _mha_shape_check(query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None,
                     attn_mask: Tensor | None, num_heads: int) -> bool:
    """torch's checks of the ranks of multi_head_attention_forward's inputs; whether they are batched."""
    if query.ndim not in (2, 3):
        raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {query.ndim}-D "
                             "query tensor")
    batched = query.ndim == 3
    kind = "batched (3-D)" if batched else "unbatched (2-D)"
    if key.ndim != query.ndim or value.ndim != query.ndim:
        raise AssertionError(f"For {kind} `query`, expected `key` and `value` to be {query.ndim}-D but found "
                             f"{key.ndim}-D and {value.ndim}-D tensors respectively")
    if key_padding_mask is not None and key_padding_mask.ndim != query.ndim - 1:
        raise AssertionError(f"For {kind} `query`, expected `key_padding_mask` to be `None` or {query.ndim - 1}-D "
                             f"but found {key_padding_mask.ndim}-D tensor instead")
    if attn_mask is not None:
        if attn_mask.ndim not in (2, 3):
            raise AssertionError(f"For {kind} `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                                 f"{attn_mask.ndim}-D tensor instead")
        expected = (num_heads, query.shape[0], key.shape[0])
        if not batched and attn_mask.ndim == 3 and tuple(attn_mask.shape) != expected:
            raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}")
    return batched


def _in_projection(query, key, value, in_proj_weight, in_proj_bias, use_separate, q_w, k_w, v_w, e):
    if not use_separate:
        w_q, w_k, w_v = in_proj_weight[:e], in_proj_weight[e:2 * e], in_proj_weight[2 * e:]
    else:
        w_q, w_k, w_v = q_w, k_w, v_w
    if in_proj_bias is None:
        b_q = b_k = b_v = None
    else:
        b_q, b_k, b_v = in_proj_bias[:e], in_proj_bias[e:2 * e], in_proj_bias[2 * e:]
    if not use_separate and key is value and query is key:
        proj = _linear(query, in_proj_weight, in_proj_bias)       # one matmul, as torch's packed projection
        return proj[..., :e], proj[..., e:2 * e], proj[..., 2 * e:]
    return _linear(query, w_q, b_q), _linear(key, w_k, b_k), _linear(value, w_v, b_v)


def multi_head_attention_forward(query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int, num_heads: int,
                                 in_proj_weight: Tensor | None, in_proj_bias: Tensor | None, bias_k: Tensor | None,
                                 bias_v: Tensor | None, add_zero_attn: bool, dropout_p: float,
                                 out_proj_weight: Tensor, out_proj_bias: Tensor | None, training: bool = True,
                                 key_padding_mask: Tensor | None = None, need_weights: bool = True,
                                 attn_mask: Tensor | None = None, use_separate_proj_weight: bool = False,
                                 q_proj_weight: Tensor | None = None, k_proj_weight: Tensor | None = None,
                                 v_proj_weight: Tensor | None = None, static_k: Tensor | None = None,
                                 static_v: Tensor | None = None, average_attn_weights: bool = True,
                                 is_causal: bool = False):
    """torch.nn.functional.multi_head_attention_forward (sequence-first)."""
    return _mha_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias, bias_k,
                        bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias, training, key_padding_mask,
                        need_weights, attn_mask, use_separate_proj_weight, q_proj_weight, k_proj_weight,
                        v_proj_weight, static_k, static_v, average_attn_weights, is_causal,
                        safe_softmax=not need_weights)


def _mha_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias, bias_k, bias_v,
                 add_zero_attn, dropout_p, out_proj_weight, out_proj_bias, training, key_padding_mask, need_weights,
                 attn_mask, use_separate_proj_weight, q_proj_weight, k_proj_weight, v_proj_weight, static_k,
                 static_v, average_attn_weights, is_causal, safe_softmax):
    """safe_softmax: torch computes need_weights=False through
    scaled_dot_product_attention, whose rows masked out entirely are zeros
    (with weights, and on nn.MultiheadAttention's fused eval path, NaN)."""
    if static_k is not None or static_v is not None:
        raise NotImplementedError("multi_head_attention_forward: static_k / static_v are not supported by jitgrad")
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        same_kv = key is value
        same_qk = query is key
        query = F.unsqueeze(query, 1)
        key = query if same_qk else F.unsqueeze(key, 1)
        value = key if same_kv else F.unsqueeze(value, 1)
        if key_padding_mask is not None:
            key_padding_mask = F.unsqueeze(key_padding_mask, 0)
    tgt_len, bsz, embed_dim = query.shape
    key_padding_mask = canonical_mask(key_padding_mask, "key_padding_mask", query.dtype, attn_mask, "attn_mask")
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
                           "method `generate_square_subsequent_mask` to create this mask.")
    attn_mask = canonical_mask(attn_mask, "attn_mask", query.dtype)
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight and tuple(key.shape[:2]) != tuple(value.shape[:2]):
        raise AssertionError(f"key's sequence and batch dims {key.shape[:2]} do not match value's "
                             f"{value.shape[:2]}")
    if not use_separate_proj_weight and tuple(key.shape) != tuple(value.shape):
        raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
    q, k, v = _in_projection(query, key, value, in_proj_weight, in_proj_bias, use_separate_proj_weight,
                             q_proj_weight, k_proj_weight, v_proj_weight, embed_dim)
    src_len = key.shape[0]
    if attn_mask is not None:
        if attn_mask.ndim == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be "
                                   f"{(tgt_len, src_len)}.")
            attn_mask = F.unsqueeze(attn_mask, 0)
        elif attn_mask.ndim == 3:
            if tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
                raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                                   f"{(bsz * num_heads, tgt_len, src_len)}.")
        else:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.ndim} is not supported")
    if bias_k is not None and bias_v is not None:
        k = F.cat([k, F.expand(bias_k, (1, bsz, embed_dim))])
        v = F.cat([v, F.expand(bias_v, (1, bsz, embed_dim))])
        attn_mask = _pad_last(attn_mask)
        key_padding_mask = _pad_last(key_padding_mask)
    q = F.transpose(F.reshape(q, (tgt_len, bsz * num_heads, head_dim)), 0, 1)
    k = F.transpose(F.reshape(k, (k.shape[0], bsz * num_heads, head_dim)), 0, 1)
    v = F.transpose(F.reshape(v, (v.shape[0], bsz * num_heads, head_dim)), 0, 1)
    if add_zero_attn:
        k = F.cat([k, F.zeros(bsz * num_heads, 1, head_dim, dtype=k.dtype)], 1)
        v = F.cat([v, F.zeros(bsz * num_heads, 1, head_dim, dtype=v.dtype)], 1)
        attn_mask = _pad_last(attn_mask)
        key_padding_mask = _pad_last(key_padding_mask)
    src_len = k.shape[1]
    if key_padding_mask is not None:
        for d, want in enumerate((bsz, src_len)):
            if key_padding_mask.shape[d] != want:
                raise AssertionError(f"Expected key_padded_mask.shape[{d}] to be {want}, but got "
                                     f"{key_padding_mask.shape[d]}")
        kpm = F.reshape(F.expand(F.reshape(key_padding_mask, (bsz, 1, 1, src_len)), (bsz, num_heads, 1, src_len)),
                        (bsz * num_heads, 1, src_len))
        attn_mask = kpm if attn_mask is None else attn_mask + kpm
    if not training:
        dropout_p = 0.0
    q_scaled = q * math.sqrt(1.0 / float(head_dim))
    kt = F.transpose(k, -2, -1)
    if attn_mask is not None:
        scores = baddbmm(F.expand(attn_mask, (bsz * num_heads, tgt_len, src_len)), q_scaled, kt)
    else:
        scores = bmm(q_scaled, kt)
    weights = _safe_softmax(scores) if safe_softmax else F.softmax(scores, -1)
    if dropout_p > 0.0:
        weights = _dropout(weights, dropout_p)
    out = bmm(weights, v)
    out = F.reshape(F.transpose(out, 0, 1), (tgt_len * bsz, embed_dim))
    out = F.reshape(_linear(out, out_proj_weight, out_proj_bias), (tgt_len, bsz, out_proj_weight.shape[0]))
    if not need_weights:
        return (out if is_batched else F.squeeze(out, 1)), None
    weights = F.reshape(weights, (bsz, num_heads, tgt_len, src_len))
    if average_attn_weights:
        weights = F.mean(weights, 1)
    if not is_batched:
        return F.squeeze(out, 1), F.squeeze(weights, 0)
    return out, weights


def _pad_last(mask: Tensor | None) -> Tensor | None:
    """A zero (not masked) column appended to a float mask's last dim."""
    if mask is None:
        return None
    shape = tuple(mask.shape[:-1]) + (1,)
    return F.cat([mask, F.zeros(*shape, dtype=mask.dtype)], -1)


class SDPBackend(enum.Enum):
    """torch.nn.attention.SDPBackend: the kernels of scaled_dot_product_attention
    (on CPU: the math composite and the flash kernel)."""
    ERROR = -1
    MATH = 0
    FLASH_ATTENTION = 1
    EFFICIENT_ATTENTION = 2
    CUDNN_ATTENTION = 3
    OVERRIDEABLE = 4


_BACKENDS = threading.local()


@contextlib.contextmanager
def sdpa_kernel(backends, set_priority: bool = False):
    """Restrict scaled_dot_product_attention to the given backends (one or a list)."""
    listed = [backends] if isinstance(backends, SDPBackend) else backends
    if not isinstance(listed, (list, tuple)) or not all(isinstance(b, SDPBackend) for b in listed):
        raise AssertionError("Backend must be an instance of SDPBackend or a list of SDPBackend instances, "
                             f"got {type(backends).__name__}")
    previous = getattr(_BACKENDS, "enabled", None)
    _BACKENDS.enabled = set(listed)
    try:
        yield {}
    finally:
        _BACKENDS.enabled = previous
