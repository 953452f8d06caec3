"""The bits ledger: what one 8×8 digit costs as pixels and as a grid of code indices."""

from __future__ import annotations

import math
from dataclasses import dataclass

PIXELS, LEVELS = 64, 17  # 8×8 pixels, each a count 0..16


@dataclass(frozen=True)
class LedgerRow:
    """One way to store a digit and its size in bits."""

    what: str  # a message code suffix: the page names it
    cells: int
    bits_each: float
    bits: float

    @property
    def ratio(self) -> float:
        """Compression against the raw pixels (64 × log2 17 bits)."""
        return PIXELS * math.log2(LEVELS) / self.bits if self.bits else math.inf


def bits_ledger(grid: tuple[int, int], codebook_size: int, usage: list[int] | None = None) -> list[LedgerRow]:
    """Raw pixels, pixels at 4 bits, code indices at log2 K bits, and (given the usage histogram) at the
    usage's entropy, which is what an entropy coder could reach on average."""
    cells = grid[0] * grid[1]
    rows = [LedgerRow("pixels", PIXELS, math.log2(LEVELS), PIXELS * math.log2(LEVELS)),
            LedgerRow("nibbles", PIXELS, 4.0, PIXELS * 4.0),
            LedgerRow("codes", cells, math.log2(codebook_size), cells * math.log2(codebook_size))]
    if usage is not None and sum(usage):
        n = sum(usage)
        h = -sum(c / n * math.log2(c / n) for c in usage if c)
        rows.append(LedgerRow("entropy", cells, h, cells * h))
    return rows
