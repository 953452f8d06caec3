"""FlashAttention-2's backward (Dao 2023, Algorithm 2) as Triton kernels: preprocess, dK/dV, then dQ.

Three launches, each one program per block of one (batch·head):
1. `_bwd_preprocess`, per query block: D_i = rowsum(dO_i∘O_i) (= rowsum(P_i∘dP_i), the softmax's correction).
2. `_bwd_dkdv`, per key block j: K_j and V_j are loaded once and dK_j, dV_j stay in registers while the program
   walks the queries in tiles i of BLOCK_M rows (when causal, from the row of its first key on), recomputing
   P_ij = exp(S_ij − lse_i) from the forward's saved log-sum-exp: dV_j += P_ijᵀ·dO_i, dP_ij = dO_i·V_jᵀ,
   dS_ij = P_ij∘(dP_ij − D_i), dK_j += dS_ijᵀ·Q_i·scale. Each dK_j, dV_j is written once.
3. `_bwd_dq`, per query block i: the same recomputation over the key blocks j (up to the diagonal, when causal),
   dQ_i += dS_ij·K_j·scale, written once. FlashAttention-2 adds dQ with atomics from step 2 instead; a separate
   pass recomputes P and dP once more but is deterministic (no float additions in a racing order).

lse is natural-log (m + ln l of the scaled scores), as `tiled_attention(..., return_lse=True)` and this module's
forward give it. Accumulators are fp32; fp32 inputs use IEEE fp32 dot products (not TF32). Head dims are padded
to a power of two ≥ 16 (masked). Only checked under Triton's CPU interpreter (TRITON_INTERPRET=1) in this
project's tests; its speed and memory on a GPU are not measured here. Public callers go through
`engine.attention.triton_grad`, which says why (a coded error) when Triton or a CUDA tensor is missing.
"""

from __future__ import annotations

import torch
import triton
import triton.language as tl


@triton.jit
def _mm(a, b, IEEE: tl.constexpr):
    if IEEE:  # noqa: SIM108  (a constexpr branch: Triton compiles only the taken side)
        c = tl.dot(a, b, input_precision="ieee")
    else:
        c = tl.dot(a, b)
    return c


@triton.jit
def _tile(base, rows, cols, n_rows, n_cols, stride):
    """A (len(rows), len(cols)) tile of a row-major (n_rows, n_cols) matrix at `base`, zero outside it."""
    return tl.load(base + rows[:, None] * stride + cols[None, :],
                   mask=(rows[:, None] < n_rows) & (cols[None, :] < n_cols), other=0.0)


@triton.jit
def _p_ds(q, k, v, do, lse, di, rows, cols, N, M, scale, CAUSAL: tl.constexpr, IEEE: tl.constexpr):
    """One tile's P_ij = exp(S_ij − lse_i), rebuilt from the saved log-sum-exp, and dS_ij = P_ij∘(dO_i·V_jᵀ − D_i)."""
    s = _mm(q, tl.trans(k), IEEE) * scale  # (BLOCK_M, BLOCK_N)
    keep = (rows[:, None] < N) & (cols[None, :] < M)
    if CAUSAL:
        keep = keep & (cols[None, :] <= rows[:, None])
    p = tl.where(keep, tl.exp(s - lse[:, None]), 0.0)
    ds = p * (_mm(do, tl.trans(v), IEEE) - di[:, None])
    return p, ds


@triton.jit
def _bwd_preprocess(Out, DOut, Delta, N, DV, sob, son, sdb, sdn,
                    BLOCK_M: tl.constexpr, BLOCK_DV: tl.constexpr):
    pid_m = tl.program_id(0)
    bh = tl.program_id(1)
    rows = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.arange(0, BLOCK_DV)
    o = _tile(Out + bh * sob, rows, cols, N, DV, son).to(tl.float32)
    do = _tile(DOut + bh * sdb, rows, cols, N, DV, sdn).to(tl.float32)
    tl.store(Delta + bh * N + rows, tl.sum(o * do, 1), mask=rows < N)


@triton.jit
def _bwd_dkdv(Q, K, V, DOut, Lse, Delta, DK, DV_, scale, N, M, D, DV,
              sqb, sqn, skb, skn, svb, svn, sdb, sdn, sdkb, sdkn, sdvb, sdvn,
              CAUSAL: tl.constexpr, IEEE: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
              BLOCK_D: tl.constexpr, BLOCK_DV: tl.constexpr):
    pid_n = tl.program_id(0)
    bh = tl.program_id(1)
    cols = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)  # this program's keys
    dd = tl.arange(0, BLOCK_D)
    dvv = tl.arange(0, BLOCK_DV)
    k = _tile(K + bh * skb, cols, dd, M, D, skn)  # (BLOCK_N, BLOCK_D), loaded once
    v = _tile(V + bh * svb, cols, dvv, M, DV, svn)  # (BLOCK_N, BLOCK_DV), loaded once
    dk = tl.zeros([BLOCK_N, BLOCK_D], tl.float32)
    dv = tl.zeros([BLOCK_N, BLOCK_DV], tl.float32)
    lo = 0
    if CAUSAL:
        lo = pid_n * BLOCK_N  # queries before this block's first key see none of its keys
    for start in range(lo, N, BLOCK_M):
        rows = start + tl.arange(0, BLOCK_M)
        q = _tile(Q + bh * sqb, rows, dd, N, D, sqn)
        do = _tile(DOut + bh * sdb, rows, dvv, N, DV, sdn)
        lse = tl.load(Lse + bh * N + rows, mask=rows < N, other=0.0)
        di = tl.load(Delta + bh * N + rows, mask=rows < N, other=0.0)
        p, ds = _p_ds(q, k, v, do, lse, di, rows, cols, N, M, scale, CAUSAL, IEEE)
        dv += _mm(tl.trans(p).to(do.dtype), do, IEEE)
        dk += _mm(tl.trans(ds).to(q.dtype), q, IEEE)
    tl.store(DK + bh * sdkb + cols[:, None] * sdkn + dd[None, :], (dk * scale).to(DK.dtype.element_ty),
             mask=(cols[:, None] < M) & (dd[None, :] < D))
    tl.store(DV_ + bh * sdvb + cols[:, None] * sdvn + dvv[None, :], dv.to(DV_.dtype.element_ty),
             mask=(cols[:, None] < M) & (dvv[None, :] < DV))


@triton.jit
def _bwd_dq(Q, K, V, DOut, Lse, Delta, DQ, scale, N, M, D, DV,
            sqb, sqn, skb, skn, svb, svn, sdb, sdn, sdqb, sdqn,
            CAUSAL: tl.constexpr, IEEE: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
            BLOCK_D: tl.constexpr, BLOCK_DV: tl.constexpr):
    pid_m = tl.program_id(0)
    bh = tl.program_id(1)
    rows = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)  # this program's queries
    dd = tl.arange(0, BLOCK_D)
    dvv = tl.arange(0, BLOCK_DV)
    q = _tile(Q + bh * sqb, rows, dd, N, D, sqn)
    do = _tile(DOut + bh * sdb, rows, dvv, N, DV, sdn)
    lse = tl.load(Lse + bh * N + rows, mask=rows < N, other=0.0)
    di = tl.load(Delta + bh * N + rows, mask=rows < N, other=0.0)
    dq = tl.zeros([BLOCK_M, BLOCK_D], tl.float32)
    hi = M
    if CAUSAL:
        hi = tl.minimum(M, (pid_m + 1) * BLOCK_M)  # key blocks right of the diagonal add nothing
    for start in range(0, hi, BLOCK_N):
        cols = start + tl.arange(0, BLOCK_N)
        k = _tile(K + bh * skb, cols, dd, M, D, skn)
        v = _tile(V + bh * svb, cols, dvv, M, DV, svn)
        _, ds = _p_ds(q, k, v, do, lse, di, rows, cols, N, M, scale, CAUSAL, IEEE)
        dq += _mm(ds.to(k.dtype), k, IEEE)
    tl.store(DQ + bh * sdqb + rows[:, None] * sdqn + dd[None, :], (dq * scale).to(DQ.dtype.element_ty),
             mask=(rows[:, None] < N) & (dd[None, :] < D))


def launch_backward(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, out: torch.Tensor, lse: torch.Tensor,
                    dout: torch.Tensor, causal: bool, scale: float, block_q: int, block_k: int,
                    skip_delta: bool = False) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Run the three backward kernels on (BH, ·, ·) contiguous tensors; `skip_delta` zeroes D (a negative control)."""
    bh, n, d = q.shape
    m, dvd = k.shape[1], v.shape[2]
    lse = lse.reshape(bh, n).to(torch.float32).contiguous()
    delta = torch.zeros(bh, n, dtype=torch.float32, device=q.device)
    dq, dk, dv = torch.empty_like(q), torch.empty_like(k), torch.empty_like(v)
    block_d, block_dv = max(16, triton.next_power_of_2(d)), max(16, triton.next_power_of_2(dvd))
    if not skip_delta:
        _bwd_preprocess[(triton.cdiv(n, block_q), bh)](out, dout, delta, n, dvd, out.stride(0), out.stride(1),
                                                       dout.stride(0), dout.stride(1), BLOCK_M=block_q,
                                                       BLOCK_DV=block_dv)
    ieee = q.dtype == torch.float32
    strides = (q.stride(0), q.stride(1), k.stride(0), k.stride(1), v.stride(0), v.stride(1),
               dout.stride(0), dout.stride(1))
    meta = {"CAUSAL": causal, "IEEE": ieee, "BLOCK_M": block_q, "BLOCK_N": block_k, "BLOCK_D": block_d,
            "BLOCK_DV": block_dv}
    _bwd_dkdv[(triton.cdiv(m, block_k), bh)](q, k, v, dout, lse, delta, dk, dv, scale, n, m, d, dvd, *strides,
                                             dk.stride(0), dk.stride(1), dv.stride(0), dv.stride(1), **meta)
    _bwd_dq[(triton.cdiv(n, block_q), bh)](q, k, v, dout, lse, delta, dq, scale, n, m, d, dvd, *strides,
                                           dq.stride(0), dq.stride(1), **meta)
    return dq, dk, dv
