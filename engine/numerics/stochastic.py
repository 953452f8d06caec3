"""Stochastic rounding: x goes to one of its two neighbours in the format, up with probability (x − below) / ulp.

So the expected result is x itself (unbiased), where round-to-nearest always makes the same error. That is what
low-precision training recipes (NVFP4's gradients, MXFP4 training) rely on: many small updates that nearest
rounding would lose every time survive on average. `round_stochastic` is the core of
`round_array(x, fmt, rounding="stochastic", seed=...)`. It reads x exactly (no float32 step first). Past the
format's largest value the upper neighbour does not exist: a value there saturates to ±max (formats without
infinity), or becomes ±inf when it rounds up (IEEE formats), as nearest rounding would. NaN stays NaN.

`accumulate` is the experiment the page draws: add the same small step n times, every partial sum stored in
the format, with either rounding; `rounding_bias` draws stochastic roundings of one value many times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from engine.messages import define
from engine.numerics.formats import FormatSpec, get_format
from engine.numerics.rounding import round_tensor
from engine.numerics.stochastic_core import MODES, RoundingError, check_mode, draws, round_stochastic

__all__ = ["MODES", "RoundingError", "accumulate", "check_mode", "draws", "round_stochastic", "rounding_bias"]

MAX_DRAWS = 1_000_000
MAX_STEPS = 20_000

define({"numerics.rounding.draws": "draws and steps are whole numbers from 1 to {max:,}, not {n}"})


@dataclass(frozen=True)
class Bias:
    """Stochastic rounding of one value drawn `n` times, beside nearest rounding of it."""

    x: float
    below: float
    above: float
    nearest: float
    p_up: float  # (x − below) / (above − below): the probability of rounding up
    up_fraction: float  # how often the draws went up
    mean: float  # mean of the draws
    std_error: float  # the standard error of that mean: ulp·√(p(1 − p)/n)
    n: int

    @property
    def nearest_bias(self) -> float:
        """Nearest rounding's error, the same on every draw."""
        return self.nearest - self.x

    @property
    def stochastic_bias(self) -> float:
        """Mean of the stochastic draws minus x: zero up to sampling error."""
        return self.mean - self.x


def _n(n: int, limit: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= limit:
        raise RoundingError("numerics.rounding.draws", max=limit, n=repr(n))
    return int(n)


def rounding_bias(x: float, fmt: str | FormatSpec, n: int = 10_000, seed: int = 0) -> Bias:
    """Round finite `x` stochastically `n` times into `fmt` and compare with nearest rounding."""
    f = get_format(fmt)
    check_mode("stochastic", f)
    n = _n(n, MAX_DRAWS)
    a = torch.full((n,), float(x), dtype=torch.float64)
    r = round_stochastic(a, f, draws((n,), seed))
    inward = float(round_stochastic(a[:1], f, torch.ones(1)))  # u = 1 never moves away from zero
    outward = float(round_stochastic(a[:1], f, torch.zeros(1)))  # u = 0 always does, unless x is exact
    below, above = min(inward, outward), max(inward, outward)
    nearest = float(round_tensor(a[:1], f))
    p = (x - below) / (above - below) if above != below else 0.0
    q = above - below
    return Bias(float(x), below, above, nearest, p, float((r == above).double().mean()) if q else 0.0,
                float(r.mean()), q * math.sqrt(p * (1 - p) / n), n)


@dataclass(frozen=True)
class Accumulation:
    """A running sum start + k·step, k = 0…n, kept in a format with each rounding mode, and exactly."""

    exact: np.ndarray
    nearest: np.ndarray
    stochastic: np.ndarray  # the mean over `seeds` runs
    stochastic_runs: np.ndarray  # (seeds, n + 1)
    step: float
    fmt: str

    @property
    def stalled_at(self) -> int | None:
        """The first step after which nearest rounding's sum never moves again (None if it keeps moving)."""
        moved = np.nonzero(np.diff(self.nearest) != 0)[0]
        last = int(moved[-1]) + 1 if len(moved) else 0
        return last if last < len(self.nearest) - 1 else None


def accumulate(fmt: str | FormatSpec, start: float = 1.0, step: float = 1e-3, n: int = 1000, seeds: int = 8,
               seed: int = 0) -> Accumulation:
    """Add `step` to `start` `n` times, rounding every partial sum into `fmt`: nearest, and stochastic over
    `seeds` runs (as a weight update in a low-precision format is added step after step)."""
    f = get_format(fmt)
    check_mode("stochastic", f)
    n, seeds = _n(n, MAX_STEPS), _n(seeds, 64)
    u = draws((n, seeds), seed)
    near = torch.empty(n + 1, dtype=torch.float64)
    sto = torch.empty(n + 1, seeds, dtype=torch.float64)
    near[0] = round_tensor(torch.tensor([start], dtype=torch.float64), f)[0]
    sto[0] = near[0]
    s = torch.tensor(float(step), dtype=torch.float64)
    for k in range(n):
        near[k + 1] = round_tensor((near[k] + s).reshape(1), f)[0]
        sto[k + 1] = round_stochastic(sto[k] + s, f, u[k])
    exact = float(near[0]) + step * np.arange(n + 1)
    runs = sto.T.numpy()
    return Accumulation(exact, near.numpy(), runs.mean(0), runs, float(step), f.name)
