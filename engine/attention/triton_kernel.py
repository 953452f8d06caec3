"""The tiled online-softmax forward pass as one fused Triton kernel (used on CUDA).

One program handles BLOCK_M query rows of one (batch·head): it loads its Q block once, streams K
and V in BLOCK_N blocks, keeps m, l and the accumulator in registers, and writes O once, which is
exactly `tiled.py`'s loop with the tile loop inside the kernel; asked, it also stores lse = m + ln l per row,
what `triton_backward` rebuilds P from. Head dims are padded to a power of two (masked). fp32 inputs use
IEEE fp32 dot products (not TF32) so results match the reference.

Triton is an optional dependency (CUDA builds of torch bring it). On the CPU the kernel runs only
under Triton's interpreter, TRITON_INTERPRET=1 set before triton is imported (used by the tests).
"""

from __future__ import annotations

import os

import torch
import triton
import triton.language as tl

from engine.attention.core import default_scale, validate


@triton.jit
def _attention_fwd(Q, K, V, Out, Lse, scale, N, M, D, DV,
                   sqb, sqn, skb, skn, svb, svn, sob, son,
                   CAUSAL: tl.constexpr, IEEE: tl.constexpr, STORE_LSE: tl.constexpr, BLOCK_M: tl.constexpr,
                   BLOCK_N: tl.constexpr, BLOCK_D: tl.constexpr, BLOCK_DV: tl.constexpr):
    pid_m = tl.program_id(0)
    bh = tl.program_id(1)
    rows = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    dq = tl.arange(0, BLOCK_D)
    dvv = tl.arange(0, BLOCK_DV)
    q = tl.load(Q + bh * sqb + rows[:, None] * sqn + dq[None, :], mask=(rows[:, None] < N) & (dq[None, :] < D),
                other=0.0)
    m_i = tl.full([BLOCK_M], float("-inf"), tl.float32)
    l_i = tl.zeros([BLOCK_M], tl.float32)
    acc = tl.zeros([BLOCK_M, BLOCK_DV], tl.float32)
    hi = M
    if CAUSAL:
        hi = tl.minimum(M, (pid_m + 1) * BLOCK_M)  # tiles right of the diagonal are never visited
    for start in range(0, hi, BLOCK_N):
        cols = start + tl.arange(0, BLOCK_N)
        k = tl.load(K + bh * skb + cols[None, :] * skn + dq[:, None], mask=(cols[None, :] < M) & (dq[:, None] < D),
                    other=0.0)  # (BLOCK_D, BLOCK_N): Kᵀ
        if IEEE:  # noqa: SIM108  (a constexpr branch: Triton compiles only the taken side)
            s = tl.dot(q, k, input_precision="ieee") * scale
        else:
            s = tl.dot(q, k) * scale
        keep = cols[None, :] < M
        if CAUSAL:
            keep = keep & (cols[None, :] <= rows[:, None])
        s = tl.where(keep, s, float("-inf"))
        m_new = tl.maximum(m_i, tl.max(s, 1))
        alpha = tl.exp(m_i - m_new)
        p = tl.exp(s - m_new[:, None])
        l_i = l_i * alpha + tl.sum(p, 1)
        v = tl.load(V + bh * svb + cols[:, None] * svn + dvv[None, :], mask=(cols[:, None] < M) & (dvv[None, :] < DV),
                    other=0.0)
        if IEEE:
            acc = acc * alpha[:, None] + tl.dot(p, v.to(tl.float32), input_precision="ieee")
        else:
            acc = acc * alpha[:, None] + tl.dot(p.to(v.dtype), v)
        m_i = m_new
    acc = acc / l_i[:, None]
    if STORE_LSE:  # m + ln l per row: all the backward needs to rebuild P (rows (bh, N), contiguous)
        tl.store(Lse + bh * N + rows, m_i + tl.log(l_i), mask=rows < N)
    tl.store(Out + bh * sob + rows[:, None] * son + dvv[None, :], acc.to(Out.dtype.element_ty),
             mask=(rows[:, None] < N) & (dvv[None, :] < DV))


def interpreting() -> bool:
    """Whether Triton runs kernels in its CPU interpreter (TRITON_INTERPRET=1)."""
    return os.environ.get("TRITON_INTERPRET", "0") == "1"


def triton_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False,
                     scale: float | None = None, block_m: int = 64, block_n: int = 64,
                     return_lse: bool = False) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
    """Fused tiled attention in Triton: CUDA tensors, or CPU tensors under TRITON_INTERPRET=1; with `return_lse`,
    also the fp32 log-sum-exp per query row (..., N) that the backward needs."""
    validate(q, k, v, causal)
    if q.device.type != "cuda" and not interpreting():
        raise ValueError("the Triton kernel needs CUDA tensors (or TRITON_INTERPRET=1 set before importing triton)")
    *lead, n, d = q.shape
    m, dv = k.shape[-2], v.shape[-1]
    qf, kf, vf = (t.reshape(-1, t.shape[-2], t.shape[-1]).contiguous() for t in (q, k, v))
    out = torch.empty(qf.shape[0], n, dv, dtype=q.dtype, device=q.device)
    lse = torch.empty(qf.shape[0], n, dtype=torch.float32, device=q.device) if return_lse else out
    grid = (triton.cdiv(n, block_m), qf.shape[0])
    _attention_fwd[grid](qf, kf, vf, out, lse, default_scale(d, scale), n, m, d, dv,
                         qf.stride(0), qf.stride(1), kf.stride(0), kf.stride(1), vf.stride(0), vf.stride(1),
                         out.stride(0), out.stride(1), CAUSAL=causal, IEEE=q.dtype == torch.float32,
                         STORE_LSE=return_lse, BLOCK_M=block_m, BLOCK_N=block_n,
                         BLOCK_D=max(16, triton.next_power_of_2(d)), BLOCK_DV=max(16, triton.next_power_of_2(dv)))
    out = out.reshape(*lead, n, dv)
    return (out, lse.reshape(*lead, n)) if return_lse else out
