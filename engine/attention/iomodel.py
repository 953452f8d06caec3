"""Bytes moved between slow memory (HBM) and fast memory (SRAM, M bytes), and FLOPs, per head.

Standard attention (Dao et al. 2022, Theorem 2: Θ(Nd + N²)), counted for `reference_attention`:
read Q, K; write S; read+write S to scale it; read S and write P (softmax); read P, V; write O.
Tiled attention (Θ(N²d²/M)), counted for `tiled_attention`'s loop order (query blocks outer):
each query block is read once and its output written once, and K and V are streamed once per query
block. The block size B is the largest that fits SRAM with this implementation's working set:
a Q block, a K block, a V block, the B×B score tile and the B×dv accumulator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.attention.tiled import count_tiles


@dataclass(frozen=True)
class IOCost:
    """HBM bytes read and written, FLOPs, and the block size (tiled only)."""

    hbm_bytes: int
    flops: int
    block: int | None = None


def block_for_sram(sram_bytes: int, d: int, dv: int | None = None, elem_bytes: int = 4) -> int:
    """Largest block size B with B·(2d + dv) + B² + B·dv elements ≤ SRAM (Q, K, V blocks, S tile, acc)."""
    dv = d if dv is None else dv
    a, b = 1, 2 * d + 2 * dv  # B² + b·B − capacity ≤ 0
    cap = sram_bytes // elem_bytes
    block = int((-b + math.sqrt(b * b + 4 * a * cap)) / 2)
    if block < 1:
        raise ValueError(f"SRAM of {sram_bytes} bytes cannot hold even one row of a d={d} tile")
    return block


def attention_flops(n: int, m: int, d: int, dv: int | None = None, causal: bool = False) -> int:
    """Multiply-add FLOPs of QKᵀ and PV (2 per MAC); causal counts only the unmasked half (n(n+1)/2 pairs)."""
    dv = d if dv is None else dv
    pairs = n * (n + 1) // 2 if causal else n * m
    return 2 * pairs * (d + dv)


def standard_io(n: int, m: int, d: int, dv: int | None = None, elem_bytes: int = 4, causal: bool = False) -> IOCost:
    """HBM traffic of the textbook algorithm: Θ(Nd + N²)."""
    dv = d if dv is None else dv
    matrix = n * m * (6 + (2 if causal else 0))  # write S, scale S in place, softmax S→P, read P (+ mask pass)
    elems = n * d + m * d + matrix + m * dv + n * dv
    return IOCost(elems * elem_bytes, attention_flops(n, m, d, dv, causal))


def tiled_io(n: int, m: int, d: int, sram_bytes: int, dv: int | None = None, elem_bytes: int = 4,
             causal: bool = False) -> IOCost:
    """HBM traffic of the tiled algorithm with SRAM of `sram_bytes`: Θ(N²d²/M)."""
    dv = d if dv is None else dv
    return tiled_io_for_block(n, m, d, block_for_sram(sram_bytes, d, dv, elem_bytes), dv, elem_bytes, causal)


def tiled_io_for_block(n: int, m: int, d: int, block: int, dv: int | None = None, elem_bytes: int = 4,
                       causal: bool = False) -> IOCost:
    """HBM traffic of the tiled algorithm with square tiles of `block` rows (whatever SRAM that needs)."""
    dv = d if dv is None else dv
    tiles, _ = count_tiles(n, m, block, block, causal)
    kv_tile = block * (d + dv)  # each visited tile streams one K block and one V block
    elems = n * d + tiles * kv_tile + n * dv
    return IOCost(elems * elem_bytes, attention_flops(n, m, d, dv, causal), block)
