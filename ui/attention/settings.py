"""The attention page's problem, bound to the URL: its dtypes and the Settings each view reads."""

from dataclasses import dataclass

import torch

from engine.attention.guard import estimate

DTYPES = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}
LIVE_ROUNDS = 3  # interleaved rounds per method in the live result (after one untimed call each)


@dataclass(frozen=True)
class Settings:
    """The problem the page runs, bound to the URL."""

    n: int
    d: int
    heads: int
    dtype: str
    bq: int
    bk: int
    causal: bool
    device: torch.device

    def estimate(self, n: int | None = None):
        """What each method would allocate for this problem (at another N if given)."""
        n = n or self.n
        return estimate(n, n, self.d, self.heads, DTYPES[self.dtype], self.bq, self.bk)
