"""The latency–bandwidth (α–β) model of an all-reduce, fitted to measured times and tested on sizes it never saw.

t(S) = α + β·S: α is the fixed cost of a call (messages, synchronisation, waking the other processes), β the
seconds per byte of the buffer. For the ring, α counts 2(N−1) steps and β the 2(N−1)/N bytes each rank
sends per buffer byte, so both are reported per step and per byte on the wire as well. The fit weighs
every size by 1/t (least relative error), since the sizes span four orders of magnitude and a plain fit
would only see the largest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class AlphaBeta:
    """A fitted t = α + β·S for one method, and its error on the sizes held out of the fit."""

    method: str
    alpha_ms: float
    beta_ms_per_mib: float
    fitted_bytes: list[int]
    held_out: list[dict]  # bytes, measured_ms, predicted_ms, rel_err
    column: str = "lo_ms"  # which time of each size was fitted (and is what a plot must draw the line through)

    @property
    def worst_held_out(self) -> float:
        """The largest |predicted − measured| / measured over the held-out sizes (0 when none)."""
        return max((abs(h["rel_err"]) for h in self.held_out), default=0.0)

    def predict_ms(self, nbytes: float) -> float:
        """The model's time for a buffer of `nbytes`."""
        return self.alpha_ms + self.beta_ms_per_mib * nbytes / 2**20


def fit(rows: list[dict], method: str, held_out_every: int = 2, column: str = "lo_ms") -> AlphaBeta:
    """Fit α and β to `method`'s times (rows as `allreduce_times` gives them), holding out every
    `held_out_every`-th size after the first (so the smallest and the largest sizes shape the fit). By default
    it fits the fastest round of each size: the cost without other processes' interference, which on a
    shared 2-core machine is the part that repeats; the median carries the load of the moment."""
    pts = sorted((r["bytes"], r[column]) for r in rows if r["method"] == method)
    held = {i for i in range(1, len(pts) - 1) if i % held_out_every == 1} if len(pts) > 3 else set()
    train = [p for i, p in enumerate(pts) if i not in held]
    s = np.array([b for b, _ in train], dtype=float) / 2**20
    t = np.array([m for _, m in train], dtype=float)
    a = np.stack([np.ones_like(s), s], axis=1) / t[:, None]  # each row divided by t: relative residuals
    (alpha, beta), *_ = np.linalg.lstsq(a, np.ones_like(t), rcond=None)
    model = AlphaBeta(method, float(alpha), float(beta), [int(b) for b, _ in train], [], column)
    checks = [{"bytes": int(b), "measured_ms": m, "predicted_ms": model.predict_ms(b),
               "rel_err": (model.predict_ms(b) - m) / m} for i, (b, m) in enumerate(pts) if i in held]
    return AlphaBeta(method, float(alpha), float(beta), model.fitted_bytes, checks, column)


def ring_terms(model: AlphaBeta, world: int) -> tuple[float, float]:
    """The ring's α per step (ms) and β per byte sent (ms per MiB on the wire), from a fit of its total time."""
    if world < 2:
        return model.alpha_ms, model.beta_ms_per_mib
    steps, share = 2 * (world - 1), 2 * (world - 1) / world
    return model.alpha_ms / steps, model.beta_ms_per_mib / share
