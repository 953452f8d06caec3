"""Interleaved timing: every contender takes turns, the first call is not timed, spread and verdicts."""

from __future__ import annotations

import time

from engine.timing import BUSY_SPREAD, Timing, clearly_faster, interleaved


def test_contenders_take_turns_after_an_untimed_first_call() -> None:
    calls: list[str] = []
    fns = {n: (lambda n=n: calls.append(n)) for n in "abc"}
    times = interleaved(fns, rounds=3)
    assert calls == list("abc") + list("abc") + list("bca") + list("cab")  # warm-up, then rotating rounds
    assert all(t.rounds == 3 and t.lo_s <= t.median_s <= t.hi_s for t in times.values())


def test_spread_busy_and_a_clear_winner() -> None:
    assert abs(Timing.of([1.0, 1.1, 1.2]).spread - 0.2 / 1.1) < 1e-12 and not Timing.of([1.0, 1.1, 1.2]).busy
    assert Timing.of([1.0, 1.0, 1.0 + 2 * BUSY_SPREAD]).busy and not Timing.of([5.0]).busy  # one round says nothing
    fast, slow = (lambda: time.sleep(0.001)), (lambda: time.sleep(0.03))
    t = interleaved({"fast": fast, "slow": slow}, rounds=3)
    assert clearly_faster(t["fast"], t["slow"]) and not clearly_faster(t["slow"], t["fast"])
    assert not clearly_faster(Timing(1.0, 0.8, 1.3, 3), Timing(1.2, 1.1, 1.4, 3))  # overlapping ranges
