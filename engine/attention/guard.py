"""Estimate the memory a run would need before running it, so a page can refuse what would not fit."""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch

ELEM = {torch.float32: 4, torch.float16: 2, torch.bfloat16: 2, torch.float64: 8}


@dataclass(frozen=True)
class Estimate:
    """Bytes each method would allocate above its inputs, and the inputs themselves."""

    inputs: int
    naive: int
    tiled: int
    sdpa: int
    reference64: int

    def fits(self, method: str, budget: int) -> bool:
        """Whether `method`, with the float64 reference every run is checked against, stays within `budget`."""
        return getattr(self, method) + self.reference64 <= budget


def estimate(n: int, m: int, d: int, heads: int, dtype: torch.dtype, block_q: int = 64, block_k: int = 64) -> Estimate:
    """Upper estimates: naive holds S and P (N×M each); tiled and SDPA hold the output plus one tile set."""
    e = ELEM[dtype]
    out = heads * n * d * e
    tile = heads * (block_q * block_k + 3 * block_q * d) * 4  # scores, q block, accumulator, division temp
    return Estimate(
        inputs=heads * (n + 2 * m) * d * e,
        naive=2 * heads * n * m * e + out,
        tiled=out + tile + heads * block_q * 16,
        sdpa=out + heads * n * 4 + (8 << 20),  # output, log-sum-exp, per-thread buffers
        # head 0 in float64, 256 query rows at a time (compare.reference_rows), plus its float64 copies of q, k, v
        reference64=2 * min(n, 256) * m * 8 + (2 * n + 2 * m) * d * 8,
    )


def memory_budget(device: torch.device) -> int:
    """Bytes a single interactive run may use: half the free GPU memory, or a quarter of free RAM (≤ 4 GiB)."""
    if device.type == "cuda":
        free, _ = torch.cuda.mem_get_info(device)
        return int(free * 0.5)
    try:
        free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        free = 8 << 30
    return int(min(free // 4, 4 << 30))
