"""The backward pass measured: FlashAttention-2's tiled backward from the saved LSE against SDPA's backward and
autograd through the textbook formula, on one problem.

For each method: the median time of the backward alone over interleaved rounds (the forward is run once,
before), its peak memory above what existed before it (engine.attention.memory), the bytes the forward kept
for it beyond the inputs (autograd's saved tensors, counted with saved_tensors_hooks; for the tiled pass, the
out and lse it returns), and the max |Δ| of head 0's gradients against float64 autograd.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F

from engine.attention.backward import check_backward, tiled_attention_backward
from engine.attention.core import reference_attention
from engine.attention.memory import measure_peak
from engine.attention.tiled import tiled_attention
from engine.timing import interleaved


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def saved_by_autograd(forward, inputs: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, int]:
    """Run `forward()` and count the bytes autograd saved for backward, beyond storage the inputs already hold."""
    own = {t.untyped_storage().data_ptr() for t in inputs}
    seen: dict[int, int] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        ptr = t.untyped_storage().data_ptr()
        if ptr not in own:
            seen[ptr] = t.untyped_storage().nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = forward()
    return out, sum(seen.values())


def backward_case(n: int, d: int, heads: int, dtype: torch.dtype, causal: bool, rounds: int, block: int,
                  device: torch.device, naive: bool = True) -> dict:
    """Time, peak memory, saved bytes and gradient error of the tiled backward, SDPA's and (if `naive`) the
    textbook formula's, on one problem of `heads` heads."""
    g = torch.Generator().manual_seed(n + 1)
    q, k, v, dout = (torch.randn(1, heads, n, d, generator=g).to(device=device, dtype=dtype) for _ in range(4))
    leaves = tuple(t.clone().requires_grad_(True) for t in (q, k, v))
    out, lse = tiled_attention(q, k, v, causal, block_q=block, block_k=block, return_lse=True)
    graphs = {"sdpa": saved_by_autograd(lambda: F.scaled_dot_product_attention(*leaves, is_causal=causal), leaves)}
    if naive:
        graphs["naive"] = saved_by_autograd(lambda: reference_attention(*leaves, causal), leaves)
    fns = {"tiled": lambda: tiled_attention_backward(q, k, v, out, lse, dout, causal, block, block)}
    for name, (o, _) in graphs.items():
        fns[name] = lambda o=o: torch.autograd.grad(o, leaves, dout, retain_graph=True)
    times = interleaved(fns, rounds, lambda: _sync(device))
    saved = {"tiled": out.nbytes + lse.nbytes} | {name: b for name, (_, b) in graphs.items()}
    row: dict = {"n": n, "d": d, "heads": heads, "dtype": str(dtype).removeprefix("torch."), "causal": causal,
                 "block": block}
    for name, fn in fns.items():
        grads = fn()
        err = check_backward(*(t[:, :1] for t in (q, k, v, dout)), tuple(gr[:, :1] for gr in grads), causal)
        del grads
        t = times[name]
        row[name] = {"time_s": round(t.median_s, 5), "time_lo_s": round(t.lo_s, 5), "time_hi_s": round(t.hi_s, 5),
                     "busy": t.busy, "peak_mib": round(measure_peak(fn, device).mib, 3),
                     "saved_bytes": saved[name], "max_abs_err": max(err.values())}
    row["tiled_over_sdpa_time"] = round(row["tiled"]["time_s"] / row["sdpa"]["time_s"], 3)
    row["tiled_over_sdpa_peak"] = round(row["tiled"]["peak_mib"] / row["sdpa"]["peak_mib"], 3)
    return row
