"""`python -m engine.attention.bench`: naive, tiled and SDPA attention side by side, interleaved, as JSON.

For each dtype, causal flag and N: the median time of each method over interleaved rounds (so a
noisy machine slows all of them alike), the peak memory above the inputs (allocator log on the CPU,
CUDA counters on a GPU), the relative error of head 0 against a float64 reference, and the ratios
the goals are stated in. On CUDA the Triton kernel joins, with TFLOP/s. Then the backward: FlashAttention-2's
tiled backward from the saved LSE against SDPA's backward and the textbook formula's autograd (time, peak memory,
bytes kept from the forward, gradient error; engine.attention.bench_backward).
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from engine import recorded
from engine.attention.bench_backward import backward_case
from engine.attention.compare import DEFAULT_SWEEP, run_case, sweep, sweep_flops
from engine.attention.guard import memory_budget
from engine.device import describe_device, pick_device

DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


def record() -> dict:
    """Measure the page's default sweep on the CPU and ship it (engine/attention/recorded/sweep.json)."""
    cfg = DEFAULT_SWEEP
    device = torch.device(cfg["device"])
    t = time.perf_counter()
    rows = sweep(cfg["ns"], cfg["d"], cfg["heads"], DTYPES[cfg["dtype"]], cfg["causal"], cfg["rounds"],
                 cfg["block_q"], cfg["block_k"], device, memory_budget(device))
    seconds = time.perf_counter() - t
    out = recorded.save("attention", "sweep", rows, cfg, seconds)
    gflop = sweep_flops(cfg["ns"], cfg["d"], cfg["heads"], cfg["causal"]) / 1e9
    return {"recorded": str(out), "seconds": round(seconds, 1), "seconds_per_gflop": round(seconds / gflop, 4),
            "cases": rows}


def main(argv: list[str] | None = None) -> None:
    """Run the sweep and print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=None,
                    help="sizes (default 1024-8192 on a GPU; 1024-4096 on a CPU, to keep the default run within 5 min)")
    ap.add_argument("--d", type=int, default=64)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--dtypes", nargs="+", default=["fp32", "bf16"], choices=list(DTYPES))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--block", type=int, default=256, help="tiled block size (square tiles)")
    ap.add_argument("--bwd-n", type=int, nargs="*", default=[512, 1024, 2048], help="backward sizes (none: skip)")
    ap.add_argument("--bwd-heads", type=int, default=4)
    ap.add_argument("--bwd-block", type=int, default=256, help="tiled backward block size (square tiles)")
    ap.add_argument("--record", action="store_true", help="measure the page's default sweep and ship it")
    args = ap.parse_args(argv)
    if args.record:
        print(json.dumps(record(), indent=1))
        return
    device = pick_device()
    args.n = args.n or ([1024, 2048, 4096, 8192] if device.type == "cuda" else [1024, 2048, 4096])
    rows = [run_case(n, args.d, args.heads, DTYPES[dt], causal, args.rounds, args.block, args.block, device)
            for dt in args.dtypes for causal in (False, True) for n in args.n]
    causal_ratio = {}
    for r in rows:
        if r["causal"]:
            base = next(x for x in rows if x["n"] == r["n"] and x["dtype"] == r["dtype"] and not x["causal"])
            causal_ratio[f"{r['dtype']}@{r['n']}"] = round(r["tiled"]["time_s"] / base["tiled"]["time_s"], 3)
    # fp32 only: the CPU emulates 16-bit matmuls, and the tiled backward accumulates in fp32 whatever the input
    backward = [backward_case(n, args.d, args.bwd_heads, torch.float32, causal, args.rounds, args.bwd_block, device,
                              naive=n <= 4096) for causal in (False, True) for n in args.bwd_n]
    print(json.dumps({"device": describe_device(device).label(), "torch": torch.__version__,
                      "tiled_block": args.block, "cases": rows, "tiled_causal_over_full_time": causal_ratio,
                      "backward": backward}, indent=1))


if __name__ == "__main__":
    main()
