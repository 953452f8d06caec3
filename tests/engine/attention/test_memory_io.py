"""Measured peak memory (allocator log) and the IO model."""

from __future__ import annotations

from itertools import pairwise

import pytest
import torch

from engine.attention import reference_attention, sdpa_attention, tiled_attention
from engine.attention.iomodel import attention_flops, block_for_sram, standard_io, tiled_io
from engine.attention.memory import measure_peak
from tests.helpers import ROOT


def test_naive_peak_is_exactly_two_score_matrices() -> None:
    q, k, v = (torch.randn(2, 1024, 16) for _ in range(3))
    s_bytes = 2 * 1024 * 1024 * 4
    peak = measure_peak(lambda: reference_attention(q, k, v)).peak_bytes
    assert peak == pytest.approx(2 * s_bytes, rel=0.01)


def test_tiled_memory_is_a_fixed_workspace_plus_the_output() -> None:
    """The tiled pass's peak is its output (linear in N) plus a workspace of tiles whose size does not depend on N,
    to the byte: so per doubling of N its memory grows by less than 2× (approaching 2× only as the output comes to
    dominate), while the textbook method's grows by exactly 4×."""
    fns = {"naive": reference_attention, "tiled": tiled_attention, "sdpa": sdpa_attention}
    peaks = {}
    ns = (512, 1024, 2048)
    for n in ns:
        q, k, v = (torch.randn(1, 4, n, 32) for _ in range(3))
        peaks[n] = {name: measure_peak(lambda fn=fn, q=q, k=k, v=v: fn(q, k, v)).peak_bytes
                    for name, fn in fns.items()}

    def out_bytes(n: int) -> int:
        return 4 * n * 32 * 4  # heads × N × d fp32 values

    workspace = {peaks[n]["tiled"] - out_bytes(n) for n in ns}
    assert len(workspace) == 1 and workspace.pop() > 0  # fixed, whatever N
    for a, b in pairwise(ns):
        assert peaks[b]["naive"] / peaks[a]["naive"] == pytest.approx(4, rel=0.01)  # quadratic
        assert 1 < peaks[b]["tiled"] / peaks[a]["tiled"] < 2
    assert peaks[2048]["naive"] > 20 * peaks[2048]["tiled"]


def test_growth_reads_the_factor_per_doubling_and_the_workspace() -> None:
    """`growth`, which the page's walkthrough is formatted from, on rows built by hand: a 1 MiB workspace plus a
    1 MiB output at N = 256 grows 1.5× then 5/3×; the textbook method 4× twice."""
    from engine.attention.compare import growth

    def row(n: int) -> dict:
        out = n / 256  # MiB: 16 heads × n × 64 fp32 values are 4n KiB
        return {"n": n, "d": 64, "heads": 16, "dtype": "float32", "naive": {"peak_mib": 2 * (n / 256) ** 2},
                "tiled": {"peak_mib": 1 + out}, "sdpa": {"peak_mib": out}}

    g = growth([row(256), row(512), row(1024)])
    assert g["naive"] == {"lo": 4.0, "hi": 4.0} and g["sdpa"] == {"lo": 2.0, "hi": 2.0}
    assert g["tiled"] == {"lo": pytest.approx(1.5), "hi": pytest.approx(5 / 3)}
    assert g["tiled_workspace_mib"] == {"lo": pytest.approx(1.0), "hi": pytest.approx(1.0)}
    assert "naive" not in growth([row(256), row(1024)])  # not a doubling: no factor per doubling


def test_the_methods_agree_to_rounding_not_bit_for_bit() -> None:
    """run_case reports how far apart the methods are: fp32 sums in another order, so close but not equal."""
    from engine.attention import run_case

    row = run_case(256, 32, 2, torch.float32, False, 1, 64, 64, torch.device("cpu"))
    assert set(row["max_diff"]) == {"naive_vs_tiled", "naive_vs_sdpa", "tiled_vs_sdpa"}
    assert all(0 < d < 1e-5 for d in row["max_diff"].values())


def test_io_model() -> None:
    assert block_for_sram(100 * 1024, 64) == 76
    with pytest.raises(ValueError):
        block_for_sram(16, 64)
    std = [standard_io(n, n, 64).hbm_bytes for n in (1024, 2048, 4096)]
    til = [tiled_io(n, n, 64, 100 * 1024).hbm_bytes for n in (1024, 2048, 4096)]
    assert std[2] / std[1] == pytest.approx(4, rel=0.05)  # Θ(N²) dominates
    assert all(t < s for t, s in zip(til, std, strict=True))
    assert tiled_io(4096, 4096, 64, 400 * 1024).hbm_bytes < tiled_io(4096, 4096, 64, 100 * 1024).hbm_bytes


@pytest.mark.parametrize(("n", "m", "d", "dv"), [(16, 12, 8, 5), (7, 7, 3, 3), (1, 9, 4, 2)])
def test_attention_flops_equals_torchs_flop_counter(n: int, m: int, d: int, dv: int) -> None:
    """Non-causal: what torch.utils.flop_counter counts for the textbook formula's two matmuls (QKᵀ and PV)."""
    from torch.utils.flop_counter import FlopCounterMode

    q, k, v = torch.randn(1, n, d), torch.randn(1, m, d), torch.randn(1, m, dv)
    with FlopCounterMode(display=False) as counter:
        reference_attention(q, k, v)
    assert attention_flops(n, m, d, dv) == counter.get_total_flops()


@pytest.mark.parametrize(("n", "d", "dv"), [(1, 3, 2), (5, 4, 4), (9, 2, 7)])
def test_causal_attention_flops_counts_the_multiply_adds_of_an_explicit_loop(n: int, d: int, dv: int) -> None:
    """Causal: count the multiply-adds of a plain loop that computes only the unmasked scores and weighted sums."""
    macs = 0
    for i in range(n):
        for j in range(n):
            if j > i:  # a future key: masked, never computed
                continue
            macs += sum(1 for _ in range(d))  # score q_i · k_j
            macs += sum(1 for _ in range(dv))  # p_ij · v_j into the output row
    assert attention_flops(n, n, d, dv, causal=True) == 2 * macs


@pytest.mark.slow
def test_measurements_from_two_threads_at_once_take_turns() -> None:
    """Two visitors measuring at once: torch.profiler is process-wide, so overlapping profiles crashed the server
    (a segfault in Kineto). Run in a child process, so a regression fails this test instead of killing pytest;
    each thread still measures exactly its own allocation."""
    import subprocess
    import sys

    code = """
import threading, torch
from engine.attention.memory import measure_peak
results = {}
def work(i):
    n = 256 * (i + 1)
    results[i] = measure_peak(lambda: torch.empty(n, n, dtype=torch.float32).fill_(1.0)).peak_bytes
threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
[t.start() for t in threads]
[t.join(timeout=60) for t in threads]
print(sorted(results.items()))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=str(ROOT))
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == str([(i, 4 * (256 * (i + 1)) ** 2) for i in range(4)])
