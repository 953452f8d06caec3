"""Measured peak memory (allocator log) and the IO model."""

from __future__ import annotations

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


def test_tiled_memory_is_linear_and_far_below_naive() -> None:
    fns = {"naive": reference_attention, "tiled": tiled_attention, "sdpa": sdpa_attention}
    peaks = {}
    for n in (512, 2048):
        q, k, v = (torch.randn(1, 4, n, 32) for _ in range(3))
        peaks[n] = {name: measure_peak(lambda fn=fn, q=q, k=k, v=v: fn(q, k, v)).peak_bytes
                    for name, fn in fns.items()}
    assert peaks[2048]["naive"] / peaks[512]["naive"] == pytest.approx(16, rel=0.05)  # quadratic
    assert peaks[2048]["tiled"] / peaks[512]["tiled"] < 5  # linear in N, plus fixed-size tiles
    assert peaks[2048]["naive"] > 20 * peaks[2048]["tiled"]
    out_bytes = 4 * 2048 * 32 * 4
    assert peaks[2048]["tiled"] >= out_bytes  # the output itself is above the inputs


def test_io_model() -> None:
    assert block_for_sram(100 * 1024, 64) == 76
    with pytest.raises(ValueError):
        block_for_sram(16, 64)
    std = [standard_io(n, n, 64).hbm_bytes for n in (1024, 2048, 4096)]
    til = [tiled_io(n, n, 64, 100 * 1024).hbm_bytes for n in (1024, 2048, 4096)]
    assert std[2] / std[1] == pytest.approx(4, rel=0.05)  # Θ(N²) dominates
    assert all(t < s for t, s in zip(til, std, strict=True))
    assert tiled_io(4096, 4096, 64, 400 * 1024).hbm_bytes < tiled_io(4096, 4096, 64, 100 * 1024).hbm_bytes
    assert attention_flops(1024, 1024, 64) == 4 * 1024 * 1024 * 64
    assert attention_flops(4, 4, 1, causal=True) == 2 * 10 * 2


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
