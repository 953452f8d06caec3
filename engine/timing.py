"""Wall-clock timing that stays honest on a shared, noisy machine: interleaved repeats, median and spread.

On a 2-core server shared by every visitor a single wall-clock figure is mostly noise. `interleaved` runs
each contender in turn, round after round (so a burst of load slows all of them alike), and reports the
median with the fastest and slowest round; `Timing.busy` says when the spread is too wide to trust, and
`clearly_faster` compares two timings only when their ranges do not overlap. Pages show these beside a
count that load cannot change (tiles, passes, bytes, FLOPs).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

BUSY_SPREAD = 0.5  # (slowest − fastest) / median above this: the machine was busy while measuring


@dataclass(frozen=True)
class Timing:
    """Seconds per call: the median over interleaved rounds, with the fastest and the slowest round."""

    median_s: float
    lo_s: float
    hi_s: float
    rounds: int

    @property
    def spread(self) -> float:
        """(slowest − fastest) / median: 0 on a quiet machine."""
        return (self.hi_s - self.lo_s) / self.median_s if self.median_s > 0 else 0.0

    @property
    def busy(self) -> bool:
        """Whether the rounds disagree so much that the machine was evidently busy."""
        return self.rounds > 1 and self.spread > BUSY_SPREAD

    @classmethod
    def of(cls, samples: list[float]) -> Timing:
        """The timing of a list of per-round seconds."""
        return cls(statistics.median(samples), min(samples), max(samples), len(samples))


def interleaved(fns: Mapping[str, Callable[[], object]], rounds: int, sync: Callable[[], None] | None = None,
                warmup: bool = True, progress: Callable[[int, int], None] | None = None) -> dict[str, Timing]:
    """Time every function `rounds` times, taking turns (each round runs all of them once, the order rotating
    so none always goes first), after one untimed call each (first calls pay for allocation and caches);
    `sync` waits for a device before and after each call; `progress(calls done, calls in all)` follows each."""
    names = list(fns)
    samples: dict[str, list[float]] = {n: [] for n in names}
    calls = len(names) * (max(1, rounds) + warmup)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, calls)

    if warmup:
        for name in names:
            fns[name]()
            step()
    for r in range(max(1, rounds)):
        for name in names[r % len(names):] + names[:r % len(names)]:
            if sync:
                sync()
            t = time.perf_counter()
            fns[name]()
            if sync:
                sync()
            samples[name].append(time.perf_counter() - t)
            step()
    return {n: Timing.of(samples[n]) for n in names}


def clearly_faster(a: Timing, b: Timing) -> bool:
    """Whether `a` beat `b` in every round: the slowest of a is below the fastest of b."""
    return a.hi_s < b.lo_s
