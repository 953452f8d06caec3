"""DDP through our ring (`ring_hook`), bytes measured on lo, contributors() and GlobalBatchNorm1d, each against an
independent reference: one process on the whole batch, gloo's all_reduce, a brute-force simulation of the ring,
nn.BatchNorm1d and nn.SyncBatchNorm."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.ddp import ddp_vs_single, ring_allreduce
from engine.ddp.allreduce import AllReduceResult, contributors
from engine.ddp.bnstats import batch, global_bn
from engine.ddp.models import GlobalBatchNorm1d
from engine.ddp.wire import lo_bytes, scheduled, wire_bytes


# -- contributors(), on a ring simulated here step by step (no processes) ------------------------------------------
def simulated_ring(inputs: list[np.ndarray]) -> list[list[np.ndarray]]:
    """Every rank's buffer after each step of the ring's schedule, done with plain numpy: in reduce-scatter step s
    rank r adds the chunk (r−1−s) its left neighbour sends; in all-gather step s it copies chunk (r−s) from it."""
    n = len(inputs)
    chunks = [np.array_split(np.arange(len(inputs[0])), n)[c] for c in range(n)]
    bufs = [b.copy() for b in inputs]
    states = []
    for phase in ("reduce_scatter", "all_gather"):
        for s in range(n - 1):
            old = [b.copy() for b in bufs]
            for r in range(n):
                left = (r - 1) % n
                c = chunks[(r - s - 1) % n] if phase == "reduce_scatter" else chunks[(r - s) % n]
                bufs[r][c] = old[r][c] + old[left][c] if phase == "reduce_scatter" else old[left][c]
            states.append([b.copy() for b in bufs])
    return states


def fake_result(n: int, size: int, inputs: list[np.ndarray], states: list[list[np.ndarray]]) -> AllReduceResult:
    bounds = [(int(c[0]), int(c[-1]) + 1) for c in np.array_split(np.arange(size), n)]
    return AllReduceResult("ring", n, size, "float64", [], [0] * n, True, 0.0, 0.0, 0.0, True, 0.0, bounds, inputs,
                           states)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_contributors_follow_the_rings_schedule(n: int) -> None:
    size = 3 * n + 1
    rng = np.random.default_rng(n)
    inputs = [rng.normal(size=size) for _ in range(n)]
    whose = contributors(fake_result(n, size, inputs, simulated_ring(inputs)))
    assert len(whose) == 2 * (n - 1) + 1
    assert whose[0] == [[(r,)] * n for r in range(n)]  # before: each rank only its own values
    for s in range(n - 1):  # after reduce-scatter step s, rank r's chunk r−1−s sums ranks r−1−s … r
        for r in range(n):
            assert whose[s + 1][r][(r - s - 1) % n] == tuple(sorted((r - k) % n for k in range(s + 2)))
    assert whose[-1] == [[tuple(range(n))] * n] * n  # after all-gather: every chunk everywhere is the full sum


def test_contributors_say_nothing_matches_when_a_value_is_wrong() -> None:
    n, size = 3, 9
    rng = np.random.default_rng(0)
    inputs = [rng.normal(size=size) for _ in range(n)]
    states = simulated_ring(inputs)
    states[-1][1][0] += 0.5  # negative control: one value of rank 1's chunk 0 no longer any subset's sum
    whose = contributors(fake_result(n, size, inputs, states))
    assert whose[-1][1][0] == () and whose[-1][1][1] == tuple(range(n))
    assert contributors(fake_result(n, size, inputs, None)) == []  # too large to log: nothing claimed


# -- GlobalBatchNorm1d against nn.BatchNorm1d and nn.SyncBatchNorm on the whole batch ----------------------------
def whole_batch_reference(norm: torch.nn.Module, steps: int, rows: int, features: int) -> dict:
    for s in range(steps):
        x, coef = batch(s, rows, features, 0)
        x.requires_grad_(True)
        norm.zero_grad(set_to_none=True)
        out = norm(x)
        (out * coef).sum().backward()
    return {"out": out.detach(), "dx": x.grad, "dweight": norm.weight.grad, "dbias": norm.bias.grad,
            "running_mean": norm.running_mean, "running_var": norm.running_var}


def test_global_batchnorm_alone_is_plain_batchnorm() -> None:
    """Without a process group it must be nn.BatchNorm1d exactly (the subclass changes only the synced path)."""
    ref = whole_batch_reference(torch.nn.BatchNorm1d(5).double(), 3, 37, 5)
    got = whole_batch_reference(GlobalBatchNorm1d(5).double(), 3, 37, 5)
    for k in ref:
        assert torch.equal(ref[k], got[k]), k


@pytest.mark.slow
@pytest.mark.parametrize("n", [2, 3])
def test_global_batchnorm_on_shards_equals_batchnorm_and_syncbatchnorm_on_the_batch(clusters, n: int) -> None:
    got = clusters(n).run(global_bn, steps=3, rows=37, features=5)  # 37 rows: uneven shards
    for ref_module in (torch.nn.BatchNorm1d(5).double(), torch.nn.SyncBatchNorm(5).double()):  # no group here:
        ref = whole_batch_reference(ref_module, 3, 37, 5)  # SyncBatchNorm then normalises the batch it is given
        for k in ("out", "dx", "dweight", "dbias"):
            torch.testing.assert_close(got[k], ref[k], rtol=0, atol=1e-12)
        for rank in range(n):  # the running statistics (unbiased variance) agree on every rank
            torch.testing.assert_close(got["running_mean"][rank], ref["running_mean"], rtol=0, atol=1e-12)
            torch.testing.assert_close(got["running_var"][rank], ref["running_var"], rtol=0, atol=1e-12)
    assert got["tracked"] == [3] * n
    assert got["sync_bn_cpu"].startswith("ValueError")  # torch's own refuses CPU tensors in a process group
    plain = whole_batch_reference(torch.nn.BatchNorm1d(5).double(), 3, 37 // n, 5)  # negative control: one shard's
    assert not torch.allclose(plain["running_var"], got["running_var"][0], atol=1e-6)  # statistics are not these


# -- DDP through our ring -------------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("n", [2, 3])
def test_ddp_through_our_ring_equals_one_process_in_float64(clusters, n: int) -> None:
    for model in ("mlp", "bn"):
        eq = clusters(n).run(ddp_vs_single, model=model, steps=10, batch=64, dtype="float64", allreduce="ring")
        assert eq.equal and eq.allreduce == "ring"
        assert max(eq.per_step_grad_diff) <= 1e-12 and eq.replicas_max_diff == 0.0
        assert eq.buckets, "the last step's buckets are logged"
        for b in eq.buckets:
            r = b.allreduce
            assert r.result_equal_to_gloo and r.replicas_identical
            assert len(r.events) == 2 * (n - 1) * n
            assert sum(r.bytes_sent_per_rank) == 2 * (n - 1) * r.buffer_bytes  # each step sends every chunk once
            assert contributors(r, rtol=1e-9)[-1] == [[tuple(range(n))] * n] * n
    wrong = clusters(n).run(ddp_vs_single, model="mlp", steps=3, batch=64, dtype="float64", allreduce="ring",
                            mistake="loss_times_world")
    assert not wrong.equal  # the check still catches a mistake through the ring


# -- bytes on lo --------------------------------------------------------------------------------------------------
def test_lo_counters_are_read_from_proc_net_dev(tmp_path) -> None:
    f = tmp_path / "dev"
    f.write_text("Inter-|   Receive |  Transmit\n face |bytes packets|bytes\n"
                 "    lo: 1234 5 0 0 0 0 0 0 5678 9 0 0 0 0 0 0\n  eth0: 1 1 0 0 0 0 0 0 2 2 0 0 0 0 0 0\n")
    assert lo_bytes(f) == (1234, 5678)
    assert lo_bytes(tmp_path / "missing") is None
    assert scheduled("ring", 4, 1000, 4) == 2 * 3 * 4000 and scheduled("naive_ring", 4, 1000, 4) == 4 * 3 * 4000


@pytest.mark.slow
def test_bytes_measured_on_lo_cover_what_each_method_schedules(clusters) -> None:
    if lo_bytes() is None:
        pytest.skip("no loopback counters here")
    n = 3
    wires = {w.method: w for w in clusters(n).run(wire_bytes, size=1 << 20, rounds=3)}
    ring = clusters(n).run(ring_allreduce, size=1 << 20)
    assert wires["ring"].scheduled_bytes == sum(ring.bytes_sent_per_rank)  # the formula is the transfer log's sum
    for w in wires.values():  # TCP and gloo add headers: a little more than the payload, never less
        assert 0 <= w.overhead < 0.05, (w.method, w.overhead)
        assert w.busbw_gbps == pytest.approx(w.algbw_gbps * 2 * (n - 1) / n)
    assert wires["naive_ring"].measured_bytes > 1.4 * wires["ring"].measured_bytes  # N(N−1)S against 2(N−1)S
