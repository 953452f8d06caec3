"""Our three all-reduces against gloo's all_reduce and a float64 sum computed here, and their byte counts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.ddp import naive_ring_allreduce, parameter_server_allreduce, ring_allreduce
from engine.ddp.allreduce import rank_input
from engine.messages import CodedError

pytestmark = pytest.mark.slow


def _reference(n: int, size: int, dtype: str, seed: int = 0) -> np.ndarray:
    """The float64 sum of every rank's input, computed in this process from the same seeds."""
    return sum(rank_input(r, size, dtype, seed).double().numpy() for r in range(n))


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("size", [1, 7, 64, 1001, 3 * 1024])
def test_ring_sums_like_gloo_and_float64(clusters, n, size):
    r = clusters(n).run(ring_allreduce, size=size, dtype="float32")
    assert r.result_equal_to_gloo
    assert r.max_abs_err_vs_float64 <= 4 * n * 2**-23 * np.abs(_reference(n, size, "float32")).max() + 1e-30
    assert r.replicas_identical
    steps = 2 * (n - 1)
    assert len(r.events) == n * steps
    if r.snapshots is not None:  # small: the last snapshot of every rank is the sum
        assert len(r.snapshots) == steps
        for buf in r.snapshots[-1]:
            np.testing.assert_allclose(buf, _reference(n, size, "float32"), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("n", [2, 3])
def test_float64_ring_is_exact_to_float64_rounding(clusters, n):
    r = clusters(n).run(ring_allreduce, size=999, dtype="float64")
    assert r.max_abs_err_vs_float64 < 1e-14


@pytest.mark.parametrize("n", [2, 3, 4])
def test_bytes_sent_per_rank_follow_the_formulas(clusters, n):
    size = 12 * 1024  # divisible by 2, 3 and 4
    cl = clusters(n)
    ring = cl.run(ring_allreduce, size=size)
    s = size * 4
    assert ring.bytes_sent_per_rank == [2 * (n - 1) * s // n] * n
    naive = cl.run(naive_ring_allreduce, size=size)
    assert naive.bytes_sent_per_rank == [(n - 1) * s] * n
    ps = cl.run(parameter_server_allreduce, size=size)
    assert ps.bytes_sent_per_rank == [(n - 1) * s] + [s] * (n - 1)
    for r in (naive, ps):
        assert r.result_equal_to_gloo


def test_uneven_chunks_send_all_but_two_chunks_each_way(clusters):
    n, size = 3, 1001  # chunks of 334, 334, 333
    r = clusters(n).run(ring_allreduce, size=size)
    chunk = [b - a for a, b in r.chunk_bounds]
    assert sum(chunk) == size
    for rank in range(n):  # reduce-scatter skips chunk r+1, all-gather chunk r+2
        assert r.bytes_sent_per_rank[rank] == 4 * (2 * size - chunk[(rank + 1) % n] - chunk[(rank + 2) % n])


def test_every_transfer_goes_to_the_right_neighbour_in_step_order(clusters):
    n = 3
    r = clusters(n).run(ring_allreduce, size=30)
    for e in r.events:
        assert e.dst == (e.src + 1) % n
        assert e.end_ms >= e.start_ms >= 0
    phases = [e.phase for e in sorted(r.events, key=lambda e: e.step)]
    assert phases == ["reduce_scatter"] * (n * (n - 1)) + ["all_gather"] * (n * (n - 1))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(1, 5000), seed=st.integers(0, 10**6))
def test_ring_matches_float64_for_any_size(clusters, size, seed):
    r = clusters(3).run(ring_allreduce, size=size, seed=seed)
    assert r.result_equal_to_gloo and r.replicas_identical
    assert r.max_abs_err_vs_float64 <= 1e-5


def test_bad_sizes_are_refused_before_any_rank_runs(clusters):
    cl = clusters(2)
    with pytest.raises(CodedError) as e:
        cl.run(ring_allreduce, size=1 << 30)
    assert e.value.code == "ddp.size"
    with pytest.raises(CodedError):
        cl.run(ring_allreduce, size=8, dtype="int8")
    assert cl.alive  # refused in the caller: the ranks never saw it


def test_timing_rows_take_turns_and_compare_to_gloo_round_by_round(clusters):
    from engine.ddp import allreduce_times
    from engine.ddp.allreduce import rounds_at

    rows = clusters(2).run(allreduce_times, sizes=[256, 1 << 16], rounds=3)
    assert [(r["method"], r["elements"]) for r in rows] == [(m, s) for s in (256, 1 << 16)
                                                            for m in ("ring", "gloo", "naive_ring", "parameter_server")]
    for r in rows:
        assert r["rounds"] == rounds_at(r["elements"], 3) and r["lo_ms"] <= r["median_ms"] <= r["hi_ms"]
        assert r["bytes"] == 4 * r["elements"] and r["over_gloo_lo"] <= r["over_gloo"] <= r["over_gloo_hi"]
    assert all(r["over_gloo"] == 1.0 for r in rows if r["method"] == "gloo")
