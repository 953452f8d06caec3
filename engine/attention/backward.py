"""FlashAttention-2's backward pass in plain PyTorch: gradients from the saved log-sum-exp, never the N×M matrix.

The forward keeps only the output O and lse = m + ln l per query row. That is enough to rebuild any row of P
exactly, P_ij = exp(S_ij − lse_i) (`p_row`), so the backward recomputes each tile of P instead of storing it.
With D = rowsum(dO∘O) (= rowsum(P∘dP), the softmax's correction term), per tile:
dV_j += P_ijᵀ·dO_i; dP_ij = dO_i·V_jᵀ; dS_ij = P_ij∘(dP_ij − D_i); dQ_i += dS_ij·K_j·scale; dK_j += dS_ijᵀ·Q_i·scale.
The loop order is FA-2's: key blocks outer (dK_j and dV_j stay in fast memory), query blocks inner (dQ_i is
added to in slow memory, with atomics on a GPU). All arithmetic is fp32 (fp64 for fp64 input). Left out: dropout,
and the smaller tiles a real kernel needs for its larger working set. The same steps as Triton kernels:
`triton_backward`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from engine.attention.core import default_scale, validate
from engine.attention.tiled import MAX_TRACE_STEPS, AttentionTrace, count_tiles


@dataclass
class BackwardStep:
    """One tile of the backward for the traced head: P recomputed from the LSE, dP, dS, and the partial sums."""

    q_block: int
    k_block: int
    q_range: tuple[int, int]
    k_range: tuple[int, int]
    p: torch.Tensor  # (bq, bk) exp(S − lse): the exact softmax weights, rebuilt
    dp: torch.Tensor  # (bq, bk) dO_i·V_jᵀ
    ds: torch.Tensor  # (bq, bk) P∘(dP − D)
    dk: torch.Tensor  # (bk, d) this key block's dK after this tile
    dv: torch.Tensor  # (bk, dv) this key block's dV after this tile


@dataclass
class BackwardTrace(AttentionTrace):
    """Every backward tile of one head in the order computed (key blocks outer), and the skipped tiles: the forward
    trace's grid fields (its tile-grid figure draws either), with BackwardSteps and D = rowsum(dO∘O) of the head."""

    d: torch.Tensor | None = None  # (N,)


def _scores(qi: torch.Tensor, kj: torch.Tensor, sc: float, i0: int, j0: int, causal: bool) -> torch.Tensor:
    """Scaled scores of a block of query rows (from i0) against a block of keys (from j0), −inf after the diagonal."""
    s = qi @ kj.transpose(-2, -1) * sc
    if causal:
        rows = torch.arange(i0, i0 + qi.shape[-2], device=qi.device)[:, None]
        s = s.masked_fill(torch.arange(j0, j0 + kj.shape[-2], device=qi.device)[None, :] > rows, float("-inf"))
    return s


def p_row(q: torch.Tensor, k: torch.Tensor, lse: torch.Tensor, i: int, causal: bool = False,
          scale: float | None = None) -> torch.Tensor:
    """Row i of P = softmax(QKᵀ·scale), (..., M), from q_i, K and the saved lse_i alone: exp(q_i·Kᵀ·scale − lse_i)."""
    n = q.shape[-2]
    if not -n <= i < n:
        raise ValueError(f"row {i} is outside [0, {n})")
    i %= n
    acc = lse.dtype
    s = _scores(q[..., i:i + 1, :].to(acc), k.to(acc), default_scale(q.shape[-1], scale), i, 0, causal)
    return torch.exp(s - lse[..., i:i + 1, None]).squeeze(-2)


def tiled_attention_backward(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, out: torch.Tensor,
                             lse: torch.Tensor, dout: torch.Tensor, causal: bool = False, block_q: int = 64,
                             block_k: int = 64, scale: float | None = None, return_trace: bool = False,
                             trace_head: int = 0) -> tuple:
    """(dq, dk, dv) of attention from the forward's out and lse, tile by tile as FlashAttention-2 computes them;
    with `return_trace`, a fourth item: the BackwardTrace of head `trace_head`."""
    validate(q, k, v, causal)
    if block_q < 1 or block_k < 1:
        raise ValueError(f"block sizes must be positive; got block_q={block_q}, block_k={block_k}")
    *lead, n, d = q.shape
    m, dvd = k.shape[-2], v.shape[-1]
    for name, t, shape in (("out", out, (*lead, n, dvd)), ("dout", dout, (*lead, n, dvd)), ("lse", lse, (*lead, n))):
        if tuple(t.shape) != tuple(shape):
            raise ValueError(f"{name} must have shape {tuple(shape)}; got {tuple(t.shape)}")
    acc = torch.float64 if q.dtype == torch.float64 else torch.float32
    sc = default_scale(d, scale)
    qf, kf, vf = (t.reshape(-1, *t.shape[-2:]).to(acc) for t in (q, k, v))  # (BH, ·, ·)
    of, dof = out.reshape(-1, n, dvd).to(acc), dout.reshape(-1, n, dvd).to(acc)
    lf = lse.reshape(-1, n).to(acc)
    bh = qf.shape[0]
    trace = None
    if return_trace:
        if not 0 <= trace_head < bh:
            raise ValueError(f"trace_head must be in [0, {bh}); got {trace_head}")
        if count_tiles(n, m, block_q, block_k, causal)[0] > MAX_TRACE_STEPS:
            raise ValueError("a backward trace this large is too large to keep; use larger blocks or a smaller N")
    big_d = (dof * of).sum(-1)  # (BH, N): D_i = rowsum(dO∘O) = Σ_j P_ij·dP_ij
    if return_trace:
        trace = BackwardTrace(trace_head, n, m, block_q, block_k, causal, d=big_d[trace_head].clone())
    dq = torch.zeros_like(qf)
    dk, dv = torch.empty_like(kf), torch.empty_like(vf)
    h = trace_head
    for j, j0 in enumerate(range(0, m, block_k)):
        j1 = min(j0 + block_k, m)
        kj, vj = kf[:, j0:j1], vf[:, j0:j1]
        dk_j = torch.zeros_like(kj)  # stays on chip for the whole inner loop
        dv_j = torch.zeros_like(vj)
        for i, i0 in enumerate(range(0, n, block_q)):
            i1 = min(i0 + block_q, n)
            if causal and j0 >= i1:  # every key here is after every query: P is zero, nothing to add
                if trace is not None:
                    trace.skipped.append((i, j))
                continue
            qi, doi = qf[:, i0:i1], dof[:, i0:i1]
            p = torch.exp(_scores(qi, kj, sc, i0, j0, causal) - lf[:, i0:i1, None])  # (BH, bq, bk), from the LSE
            dv_j += p.transpose(1, 2) @ doi
            dp = doi @ vj.transpose(1, 2)  # (BH, bq, bk)
            ds = p * (dp - big_d[:, i0:i1, None])
            dq[:, i0:i1] += (ds @ kj) * sc  # in slow memory: each key block adds its share
            dk_j += (ds.transpose(1, 2) @ qi) * sc
            if trace is not None:
                trace.steps.append(BackwardStep(i, j, (i0, i1), (j0, j1), p[h].clone(), dp[h].clone(), ds[h].clone(),
                                                dk_j[h].clone(), dv_j[h].clone()))
        dk[:, j0:j1], dv[:, j0:j1] = dk_j, dv_j
    grads = tuple(g.reshape(t.shape).to(t.dtype) for g, t in ((dq, q), (dk, k), (dv, v)))
    return (*grads, trace) if trace is not None else grads


def reference_grads(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, dout: torch.Tensor, causal: bool = False,
                    scale: float | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(dq, dk, dv) by autograd through the textbook formula, in float64: the reference the tiled backward is
    checked against."""
    from engine.attention.core import reference_attention

    q64, k64, v64 = (t.detach().double().requires_grad_(True) for t in (q, k, v))
    o = reference_attention(q64, k64, v64, causal, scale)
    return torch.autograd.grad(o, (q64, k64, v64), dout.double())


def check_backward(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, dout: torch.Tensor, grads: tuple,
                   causal: bool = False, scale: float | None = None) -> dict[str, float]:
    """Max |Δ| of each of `grads` = (dq, dk, dv) against autograd on the float64 textbook formula."""
    ref = reference_grads(q, k, v, dout, causal, scale)
    return {name: float((g.double() - r).abs().max()) for name, g, r in zip(("dq", "dk", "dv"), grads, ref,
                                                                             strict=True)}


def saved_bytes(n: int, m: int, heads: int, elem_bytes: int = 4, lse_bytes: int = 4) -> dict[str, int]:
    """What a backward needs kept from the forward beyond Q, K, V and O: P itself (heads × N × M values, as the
    textbook formula's autograd keeps it) against the LSE (heads × N fp32 values)."""
    return {"p": heads * n * m * elem_bytes, "lse": heads * n * lse_bytes}
