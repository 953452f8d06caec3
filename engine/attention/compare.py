"""Every attention method on one problem, side by side: the median time over interleaved rounds (a noisy
machine slows all of them alike; engine.timing) with the fastest and slowest round, the peak memory above
the inputs (the allocator's own log on the CPU, CUDA counters on a GPU) and the error of head 0 against a
float64 reference. The page's live result and the benchmark both call `run_case`.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import torch

from engine.attention.core import default_scale, reference_attention, sdpa_attention
from engine.attention.guard import estimate
from engine.attention.iomodel import attention_flops, standard_io, tiled_io_for_block
from engine.attention.memory import measure_peak
from engine.attention.tiled import count_tiles, tiled_attention
from engine.timing import interleaved


def _sync(device: torch.device) -> None:
    """Wait for the device, so a wall-clock time covers the work."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


REFERENCE_ROWS = 256  # query rows of the float64 reference computed at a time


def reference_rows(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool,
                   rows: int = REFERENCE_ROWS) -> torch.Tensor:
    """The textbook formula a block of query rows at a time (each row's softmax is its own), so the float64
    reference every run is checked against holds rows×M scores instead of N×M: at N = 8192 one full float64
    score matrix and its softmax alone are 1 GiB, which the memory guard did not count."""
    out = torch.empty(*q.shape[:-1], v.shape[-1], dtype=q.dtype, device=q.device)
    scale = default_scale(q.shape[-1], None)
    m = k.shape[-2]
    for start in range(0, q.shape[-2], rows):
        s = q[..., start:start + rows, :] @ k.transpose(-2, -1) * scale
        if causal:
            qi = torch.arange(start, start + s.shape[-2], device=q.device)[:, None]
            s.masked_fill_(torch.arange(m, device=q.device)[None, :] > qi, float("-inf"))
        out[..., start:start + rows, :] = torch.softmax(s, dim=-1) @ v
    return out


def methods(block_q: int, block_k: int, device: torch.device) -> dict[str, Callable]:
    """The contenders, each as fn(q, k, v, causal)."""
    out = {
        "naive": lambda q, k, v, c: reference_attention(q, k, v, c),
        "tiled": lambda q, k, v, c: tiled_attention(q, k, v, c, block_q=block_q, block_k=block_k),
        "sdpa": lambda q, k, v, c: sdpa_attention(q, k, v, c),
    }
    if device.type == "cuda":
        from engine.attention.triton_kernel import triton_attention

        out["triton"] = lambda q, k, v, c: triton_attention(q, k, v, c, block_m=128, block_n=64)
    return out


def run_case(n: int, d: int, heads: int, dtype: torch.dtype, causal: bool, rounds: int, block_q: int,
             block_k: int, device: torch.device, skip: tuple[str, ...] = (),
             progress: Callable[[float], None] | None = None) -> dict:
    """Time, memory and error (head 0 against float64) of every method not in `skip` on one problem, and how far
    apart the methods' head-0 outputs are (`max_diff`, max |Δ| per pair: equal to rounding, not bit for bit);
    `progress(share done, 0..1)` follows each call (a caller may raise from it to stop)."""
    g = torch.Generator().manual_seed(n)
    q, k, v = (torch.randn(1, heads, n, d, generator=g).to(device=device, dtype=dtype) for _ in range(3))
    fns = {name: fn for name, fn in methods(block_q, block_k, device).items() if name not in skip}
    # each method runs 1 + rounds times to be timed, then twice more: once for its error, once for its memory
    calls = len(fns) * (max(1, rounds) + 3)
    tick = (lambda done, _all: progress(done / calls)) if progress else None
    times = interleaved({name: (lambda fn=fn: fn(q, k, v, causal)) for name, fn in fns.items()}, rounds,
                        lambda: _sync(device), progress=tick)
    done = calls - 2 * len(fns)
    ref = reference_rows(*(t[:, :1].double() for t in (q, k, v)), causal)
    row: dict = {"n": n, "d": d, "heads": heads, "dtype": str(dtype).removeprefix("torch."), "causal": causal}
    flops = heads * attention_flops(n, n, d, causal=causal)
    row["flops"] = flops
    head0 = {}  # each method's head-0 output, to show how far apart the methods are (rounding, not bits)
    for name, fn in fns.items():
        out = fn(q, k, v, causal)
        head0[name] = out[:, :1].clone()
        tm = times[name]
        med = tm.median_s
        row[name] = {
            "time_s": round(med, 5), "time_lo_s": round(tm.lo_s, 5), "time_hi_s": round(tm.hi_s, 5),
            "rounds": tm.rounds, "busy": tm.busy,
            "peak_mib": round(measure_peak(lambda fn=fn: fn(q, k, v, causal), device).mib, 3),
            "rel_err": float(((out[:, :1].double() - ref).norm() / ref.norm()).item()),
            "max_abs_err": float((out[:, :1].double() - ref).abs().max().item()),
            "tflops": round(flops / med / 1e12, 4),
        }
        del out
        done += 2
        if progress:
            progress(done / calls)
    row["max_diff"] = {f"{a}_vs_{b}": float((head0[a].double() - head0[b].double()).abs().max().item())
                       for i, a in enumerate(head0) for b in list(head0)[i + 1:]}
    if "tiled" in fns and "sdpa" in fns:
        row["tiled_over_sdpa_time"] = round(row["tiled"]["time_s"] / row["sdpa"]["time_s"], 3)
        row["tiled_over_sdpa_memory"] = round(row["tiled"]["peak_mib"] / row["sdpa"]["peak_mib"], 3)
    if "tiled" in fns and "naive" in fns:
        row["naive_over_tiled_memory"] = round(row["naive"]["peak_mib"] / row["tiled"]["peak_mib"], 1)
    return row



def growth(rows: list[dict]) -> dict:
    """How each method's peak memory grows in a sweep whose N doubles from row to row: the factor per doubling
    (lowest and highest), and for the tiled pass its workspace, the peak less the output it returns (N·d values
    per head), whose smallest and largest value say whether that workspace is fixed."""
    out: dict = {}
    for method in ("naive", "tiled", "sdpa"):
        pairs = [(a, b) for a, b in pairwise(rows) if method in a and method in b and b["n"] == 2 * a["n"]]
        if pairs:
            ratios = [b[method]["peak_mib"] / a[method]["peak_mib"] for a, b in pairs]
            out[method] = {"lo": min(ratios), "hi": max(ratios)}
    work = [r["tiled"]["peak_mib"] - output_mib(r) for r in rows if "tiled" in r]
    if work:
        out["tiled_workspace_mib"] = {"lo": min(work), "hi": max(work)}
    return out


def output_mib(row: dict) -> float:
    """MiB of the output a run returns: heads × N × d values of the row's dtype."""
    elem = torch.tensor([], dtype=getattr(torch, row["dtype"])).element_size()  # run_case writes "float32", …
    return row["heads"] * row["n"] * row["d"] * elem / 2**20


SWEEP_NS = [256, 512, 1024, 2048, 4096]
DEFAULT_SWEEP = {"ns": SWEEP_NS, "d": 64, "heads": 4, "dtype": "fp32", "causal": False, "rounds": 3,
                 "block_q": 256, "block_k": 256, "device": "cpu"}  # the page's defaults; the bench records these


def sweep(ns: list[int], d: int, heads: int, dtype: torch.dtype, causal: bool, rounds: int, block_q: int,
          block_k: int, device: torch.device, budget: int,
          progress: Callable[[float, str], None] | None = None) -> list[dict]:
    """`run_case` at each N in `ns`, the textbook method left out where its N×N matrices would pass `budget`
    bytes; `progress(FLOPs done, "N=…")` follows each call, in the units of `sweep_flops`."""
    rows, before = [], 0.0
    for n in ns:
        skip = tuple(m for m in ("naive",) if not estimate(n, n, d, heads, dtype, block_q, block_k).fits(m, budget))
        flops = heads * attention_flops(n, n, d, causal=causal)
        tick = (lambda share, b=before, f=flops, n=n: progress(b + share * f, f"N={n}")) if progress else None
        rows.append(run_case(n, d, heads, dtype, causal, rounds, block_q, block_k, device, skip, tick))
        before += flops
    return rows


def sweep_flops(ns: list[int], d: int, heads: int, causal: bool) -> float:
    """The attention FLOPs of a sweep over `ns`: the unit a sweep's progress and its time estimate count in."""
    return float(sum(heads * attention_flops(n, n, d, causal=causal) for n in ns))


def tile_sweep(n: int, d: int, heads: int, dtype: torch.dtype, causal: bool, blocks: list[int], rounds: int,
               device: torch.device, progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """The tiled method at each square tile size, timed in interleaved rounds beside SDPA, with the count of
    tiles it visited and what the IO model says those tiles would move through a GPU's HBM (against the
    textbook method's traffic): on a CPU the time follows the tile count (one Python step per tile), on a GPU
    the traffic falls as tiles grow. `progress(calls done, in all)`."""

    g = torch.Generator().manual_seed(n)
    q, k, v = (torch.randn(1, heads, n, d, generator=g).to(device=device, dtype=dtype) for _ in range(3))
    fns = {f"tiled@{b}": (lambda b=b: tiled_attention(q, k, v, causal, block_q=b, block_k=b)) for b in blocks}
    fns["sdpa"] = lambda: sdpa_attention(q, k, v, causal)
    times = interleaved(fns, rounds, lambda: _sync(device), progress=progress)
    elem = torch.tensor([], dtype=dtype).element_size()
    standard = heads * standard_io(n, n, d, elem_bytes=elem, causal=causal).hbm_bytes
    rows = []
    for b in blocks:
        t = times[f"tiled@{b}"]
        rows.append({"block": b, "tiles": heads * count_tiles(n, n, b, b, causal)[0], "time_s": t.median_s,
                     "time_lo_s": t.lo_s, "time_hi_s": t.hi_s, "busy": t.busy,
                     "sdpa_time_s": times["sdpa"].median_s,
                     "hbm_bytes": heads * tiled_io_for_block(n, n, d, b, elem_bytes=elem, causal=causal).hbm_bytes,
                     "standard_hbm_bytes": standard})
    return rows
