"""`python -m engine.attention.bench`: naive, tiled and SDPA attention side by side, interleaved, as JSON.

For each dtype, causal flag and N: the median time of each method over interleaved rounds (so a
noisy machine slows all of them alike), the peak memory above the inputs (allocator log on the CPU,
CUDA counters on a GPU), the relative error of head 0 against a float64 reference, and the ratios
the goals are stated in. On CUDA the Triton kernel joins, with TFLOP/s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import torch

from engine.attention.core import reference_attention, sdpa_attention
from engine.attention.iomodel import attention_flops
from engine.attention.memory import measure_peak
from engine.attention.tiled import tiled_attention
from engine.device import describe_device, pick_device

DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16}


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


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
             block_k: int, device: torch.device, skip: tuple[str, ...] = ()) -> dict:
    """Time, memory and error (head 0 against float64) of every method not in `skip` on one problem."""
    g = torch.Generator().manual_seed(n)
    q, k, v = (torch.randn(1, heads, n, d, generator=g).to(device=device, dtype=dtype) for _ in range(3))
    fns = {name: fn for name, fn in methods(block_q, block_k, device).items() if name not in skip}
    times: dict[str, list[float]] = {m: [] for m in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            _sync(device)
            t = time.perf_counter()
            fn(q, k, v, causal)
            _sync(device)
            times[name].append(time.perf_counter() - t)
    ref = reference_attention(*(t[:, :1].double() for t in (q, k, v)), causal)
    row: dict = {"n": n, "d": d, "heads": heads, "dtype": str(dtype).removeprefix("torch."), "causal": causal}
    flops = heads * attention_flops(n, n, d, causal=causal)
    for name, fn in fns.items():
        out = fn(q, k, v, causal)
        med = statistics.median(times[name])
        row[name] = {
            "time_s": round(med, 5),
            "peak_mib": round(measure_peak(lambda fn=fn: fn(q, k, v, causal), device).mib, 3),
            "rel_err": float(((out[:, :1].double() - ref).norm() / ref.norm()).item()),
            "max_abs_err": float((out[:, :1].double() - ref).abs().max().item()),
            "tflops": round(flops / med / 1e12, 4),
        }
        del out
    if "tiled" in fns and "sdpa" in fns:
        row["tiled_over_sdpa_time"] = round(row["tiled"]["time_s"] / row["sdpa"]["time_s"], 3)
        row["tiled_over_sdpa_memory"] = round(row["tiled"]["peak_mib"] / row["sdpa"]["peak_mib"], 3)
    if "tiled" in fns and "naive" in fns:
        row["naive_over_tiled_memory"] = round(row["naive"]["peak_mib"] / row["tiled"]["peak_mib"], 1)
    return row


def main(argv: list[str] | None = None) -> None:
    """Run the sweep and print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1024, 2048, 4096, 8192])
    ap.add_argument("--d", type=int, default=64)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--dtypes", nargs="+", default=list(DTYPES), choices=list(DTYPES))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--block", type=int, default=256, help="tiled block size (square tiles)")
    args = ap.parse_args(argv)
    device = pick_device()
    rows = [run_case(n, args.d, args.heads, DTYPES[dt], causal, args.rounds, args.block, args.block, device)
            for dt in args.dtypes for causal in (False, True) for n in args.n]
    causal_ratio = {}
    for r in rows:
        if r["causal"]:
            base = next(x for x in rows if x["n"] == r["n"] and x["dtype"] == r["dtype"] and not x["causal"])
            causal_ratio[f"{r['dtype']}@{r['n']}"] = round(r["tiled"]["time_s"] / base["tiled"]["time_s"], 3)
    print(json.dumps({"device": describe_device(device).label(), "torch": torch.__version__,
                      "tiled_block": args.block, "cases": rows, "tiled_causal_over_full_time": causal_ratio},
                     indent=1))


if __name__ == "__main__":
    main()
