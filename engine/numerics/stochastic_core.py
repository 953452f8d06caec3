"""Stochastic rounding's core, kept apart so that rounding.round_array can use it and stochastic.py's experiments
can use round_array's nearest rounding without an import cycle (see engine.numerics.stochastic for the idea)."""

from __future__ import annotations

import numpy as np
import torch

from engine.messages import CodedError, define
from engine.numerics.formats import FormatSpec

MODES = ("nearest", "stochastic")

define({
    "numerics.rounding.mode": "unknown rounding {rounding}: choose nearest or stochastic",
    "numerics.rounding.scale_format": "stochastic rounding needs a signed element format; {fmt} is a scale format",
})


class RoundingError(CodedError):
    """A rounding that cannot be done as asked (a code, with the English default)."""


def check_mode(rounding: str, f: FormatSpec) -> None:
    """Refuse an unknown rounding mode, and stochastic rounding into a scale format (E8M0 has no sign, no zero)."""
    if rounding not in MODES:
        raise RoundingError("numerics.rounding.mode", rounding=repr(rounding))
    if rounding == "stochastic" and not f.signed:
        raise RoundingError("numerics.rounding.scale_format", fmt=f.name)


def round_stochastic(a: torch.Tensor, f: FormatSpec, u: torch.Tensor) -> torch.Tensor:
    """Round float64 `a` to `f` stochastically with uniform [0, 1) draws `u` (same shape): up iff u < fraction."""
    if f.name == "fp64":
        return a
    finite = torch.isfinite(a)
    mag = torch.where(finite, a.abs(), 0.0)
    _, e2 = torch.frexp(mag)  # mag = m·2^e2, m in [0.5, 1): binade exponent e2 − 1, clamped at the subnormals
    quantum = torch.ldexp(torch.ones_like(mag), torch.clamp(e2 - 1, min=f.emin) - f.man_bits)
    t = mag / quantum  # exact: a power-of-two division
    below = torch.floor(t)
    r = torch.where(finite, (below + (u < t - below).to(mag.dtype)) * quantum, a.abs())
    r = torch.where(r > f.max, f.max if f.finite_only else torch.inf, r)  # NaN stays NaN
    return torch.copysign(r, a)


def draws(shape: tuple[int, ...], seed: int | None) -> torch.Tensor:
    """Uniform [0, 1) float64 draws from NumPy's PCG64 seeded with `seed` (fresh entropy when None)."""
    return torch.from_numpy(np.random.default_rng(seed).random(shape))
