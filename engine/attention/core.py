"""Attention references: the textbook formula that materialises S and P, and PyTorch's fused SDPA.

Both take tensors shaped (..., N, d) with any leading batch/head dims. `validate` is shared with the
tiled and Triton paths so every entry point rejects bad input with the same clear ValueError.
"""

from __future__ import annotations

import math

import torch
from torch.nn import functional as F

DTYPES = (torch.float32, torch.float16, torch.bfloat16, torch.float64)


def validate(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool) -> None:
    """Raise ValueError unless q, k, v are (..., N, d) / (..., M, d) / (..., M, dv) of one float dtype."""
    for name, t in (("q", q), ("k", k), ("v", v)):
        if not isinstance(t, torch.Tensor):
            raise ValueError(f"{name} must be a torch.Tensor, got {type(t).__name__}")
        if t.dim() < 2:
            raise ValueError(f"{name} must have shape (..., length, dim); got {tuple(t.shape)}")
        if t.dtype not in DTYPES:
            raise ValueError(f"{name} has dtype {t.dtype}; use float32, float16 or bfloat16")
        if 0 in t.shape:
            raise ValueError(f"{name} has an empty dimension: {tuple(t.shape)}")
    if not (q.dtype == k.dtype == v.dtype):
        raise ValueError(f"q, k, v must share one dtype; got {q.dtype}, {k.dtype}, {v.dtype}")
    if not (q.device == k.device == v.device):
        raise ValueError("q, k and v must be on the same device")
    if q.shape[:-2] != k.shape[:-2] or k.shape[:-2] != v.shape[:-2]:
        raise ValueError(f"batch/head dims differ: q {tuple(q.shape)}, k {tuple(k.shape)}, v {tuple(v.shape)}")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q and k need the same head dim; got {q.shape[-1]} and {k.shape[-1]}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k and v need the same length; got {k.shape[-2]} and {v.shape[-2]}")
    if causal and q.shape[-2] != k.shape[-2]:
        raise ValueError(f"causal attention needs equal query and key lengths; got {q.shape[-2]} and {k.shape[-2]}")


def default_scale(d: int, scale: float | None) -> float:
    """1/sqrt(d) unless a scale is given."""
    return 1.0 / math.sqrt(d) if scale is None else float(scale)


def reference_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False,
                        scale: float | None = None) -> torch.Tensor:
    """softmax(QKᵀ·scale)·V, materialising S and P (N×M each): the memory the tiled algorithm avoids."""
    validate(q, k, v, causal)
    s = q @ k.transpose(-2, -1)  # (..., N, M)
    s.mul_(default_scale(q.shape[-1], scale))  # in place, so peak memory is exactly S + P
    if causal:
        n = q.shape[-2]
        s.masked_fill_(torch.ones(n, n, dtype=torch.bool, device=q.device).triu_(1), float("-inf"))
    p = torch.softmax(s, dim=-1)
    del s
    return p @ v


def sdpa_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False,
                   scale: float | None = None) -> torch.Tensor:
    """torch.nn.functional.scaled_dot_product_attention (a fused flash kernel on CPU and CUDA)."""
    validate(q, k, v, causal)
    # The fused kernels want (batch, heads, N, d); other ranks fall back to the unfused math path.
    q4, k4, v4 = (t.reshape(1, -1, *t.shape[-2:]) for t in (q, k, v))
    out = F.scaled_dot_product_attention(q4, k4, v4, is_causal=causal, scale=default_scale(q.shape[-1], scale))
    return out.reshape(*q.shape[:-1], v.shape[-1])
