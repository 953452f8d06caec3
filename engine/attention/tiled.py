"""FlashAttention's forward pass in plain PyTorch: tiles of Q against tiles of K/V with an online softmax.

For each block of query rows we keep a running row maximum m, a running denominator l and an
unnormalised output o. A new tile of scores s raises the maximum to m' = max(m, rowmax(s)); the old
l and o were computed against m, so both are rescaled by exp(m − m') before the tile's exp(s − m')
is added. After the last tile o / l is exactly softmax(S)·V, but no N×M matrix ever existed.
All arithmetic is fp32 whatever the input dtype. Causal attention skips tiles above the diagonal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from engine.attention.core import default_scale, validate

MAX_TRACE_STEPS = 4096  # a trace keeps tiles for replay: bound it so a large N cannot exhaust memory


@dataclass
class TileStep:
    """One tile of the trace (for the traced head): indices, scores, and the online-softmax state."""

    q_block: int
    k_block: int
    q_range: tuple[int, int]
    k_range: tuple[int, int]
    s: torch.Tensor  # (bq, bk) scaled scores, -inf where masked
    p: torch.Tensor  # (bq, bk) exp(s − m_new), before normalisation
    m_old: torch.Tensor  # (bq,)
    m_new: torch.Tensor  # (bq,)
    rescale: torch.Tensor  # (bq,) exp(m_old − m_new)
    l: torch.Tensor  # noqa: E741  (bq,) running denominator after this tile, named as in the paper
    o: torch.Tensor  # (bq, dv) output rows so far, normalised by the running l


@dataclass
class AttentionTrace:
    """Every tile step of one head, plus the skipped (fully masked) tiles."""

    head: int
    n: int
    m: int
    block_q: int
    block_k: int
    causal: bool
    steps: list[TileStep] = field(default_factory=list)
    skipped: list[tuple[int, int]] = field(default_factory=list)

    @property
    def grid(self) -> tuple[int, int]:
        """Number of query blocks and key blocks."""
        return -(-self.n // self.block_q), -(-self.m // self.block_k)


def count_tiles(n: int, m: int, block_q: int, block_k: int, causal: bool) -> tuple[int, int]:
    """(computed, skipped) tile counts: causal skips tiles whose first key is after their last query."""
    if block_q < 1 or block_k < 1:
        raise ValueError(f"tile sizes must be at least 1, not {block_q}×{block_k}")
    nq, nk = -(-n // block_q), -(-m // block_k)
    if not causal:
        return nq * nk, 0
    computed = sum(min(nk, -(-min(n, (i + 1) * block_q) // block_k)) for i in range(nq))
    return computed, nq * nk - computed


def _future_mask(i0: int, i1: int, j0: int, j1: int, device: torch.device,
                 cache: dict[tuple[int, int, int], torch.Tensor]) -> torch.Tensor:
    """True where key index > query index in the tile; tiles with the same offset and shape share one mask."""
    key = (j0 - i0, i1 - i0, j1 - j0)
    if key not in cache:
        rows = torch.arange(i0, i1, device=device)[:, None]
        cache[key] = torch.arange(j0, j1, device=device)[None, :] > rows
    return cache[key]


def tiled_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False, block_q: int = 64,
                    block_k: int = 64, scale: float | None = None, return_trace: bool = False,
                    trace_head: int = 0, return_lse: bool = False) -> torch.Tensor | tuple:
    """Exact attention computed tile by tile with an online softmax: `out`, then (if asked) the log-sum-exp per
    query row, lse = m + ln l of the scaled scores (what FlashAttention-2 saves for its backward), then a trace."""
    validate(q, k, v, causal)
    if block_q < 1 or block_k < 1:
        raise ValueError(f"block sizes must be positive; got block_q={block_q}, block_k={block_k}")
    *lead, n, d = q.shape
    m, dv = k.shape[-2], v.shape[-1]
    qf, kf, vf = q.reshape(-1, n, d), k.reshape(-1, m, d), v.reshape(-1, m, dv)  # (BH, ·, ·)
    bh = qf.shape[0]
    if return_trace:
        if not 0 <= trace_head < bh:
            raise ValueError(f"trace_head must be in [0, {bh}); got {trace_head}")
        steps = count_tiles(n, m, block_q, block_k, causal)[0]
        if steps > MAX_TRACE_STEPS:
            raise ValueError(f"a trace of {steps} tiles is too large to keep; use larger blocks or a smaller N")
    trace = AttentionTrace(trace_head, n, m, block_q, block_k, causal) if return_trace else None
    sc = default_scale(d, scale)
    acc = torch.float64 if q.dtype == torch.float64 else torch.float32
    out = torch.empty(bh, n, dv, dtype=q.dtype, device=q.device)
    lse = torch.empty(bh, n, dtype=acc, device=q.device) if return_lse else None
    masks: dict[tuple[int, int, int], torch.Tensor] = {}
    for i, i0 in enumerate(range(0, n, block_q)):
        i1 = min(i0 + block_q, n)
        qi = qf[:, i0:i1].to(acc) * sc  # (BH, bq, d)
        m_run = torch.full((bh, i1 - i0), float("-inf"), dtype=acc, device=q.device)
        l_run = torch.zeros(bh, i1 - i0, dtype=acc, device=q.device)
        o_run = torch.zeros(bh, i1 - i0, dv, dtype=acc, device=q.device)
        for j, j0 in enumerate(range(0, m, block_k)):
            j1 = min(j0 + block_k, m)
            if causal and j0 >= i1:  # every key in this tile comes after every query: fully masked
                if trace is not None:
                    trace.skipped.append((i, j))
                continue
            s = torch.bmm(qi, kf[:, j0:j1].to(acc).transpose(1, 2))  # (BH, bq, bk)
            if causal and j1 - 1 > i0:  # the tile straddles the diagonal: mask keys after each query
                s.masked_fill_(_future_mask(i0, i1, j0, j1, q.device, masks), float("-inf"))
            m_new = torch.maximum(m_run, s.amax(-1))  # (BH, bq); finite: every row has seen key 0
            rescale = torch.exp(m_run - m_new)
            s_kept = s[trace_head].clone() if trace is not None else None
            p = s.sub_(m_new.unsqueeze(-1)).exp_()  # in place: the tile's scores become its weights
            l_run.mul_(rescale).add_(p.sum(-1))
            o_run.mul_(rescale.unsqueeze(-1)).baddbmm_(p, vf[:, j0:j1].to(acc))
            if trace is not None:
                h = trace_head
                trace.steps.append(TileStep(i, j, (i0, i1), (j0, j1), s_kept, p[h].clone(), m_run[h].clone(),
                                            m_new[h].clone(), rescale[h].clone(), l_run[h].clone(),
                                            (o_run[h] / l_run[h].unsqueeze(-1)).clone()))
            m_run = m_new
            del s, p  # free this tile before the next bmm allocates its successor
        out[:, i0:i1] = o_run.div_(l_run.unsqueeze(-1))
        if lse is not None:
            lse[:, i0:i1] = m_run + torch.log(l_run)
    out = out.reshape(*lead, n, dv)
    extra = ((lse.reshape(*lead, n),) if lse is not None else ()) + ((trace,) if trace is not None else ())
    return (out, *extra) if extra else out
