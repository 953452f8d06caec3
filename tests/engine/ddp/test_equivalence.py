"""DDP on N processes against one process on the whole batch, and every mistake caught."""

from __future__ import annotations

import pytest

from engine.ddp import MISTAKES, bucket_timeline, ddp_vs_single, no_sync_accumulation

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("model", ["mlp", "bn"])
def test_ddp_equals_one_process(clusters, n, model):
    cl = clusters(n)
    f32 = cl.run(ddp_vs_single, model=model, steps=10, batch=64, dtype="float32")
    assert f32.equal and max(f32.per_step_grad_diff) <= 1e-6 and f32.param_diff_after <= 1e-6
    f64 = cl.run(ddp_vs_single, model=model, steps=10, batch=64, dtype="float64")
    assert f64.equal and max(f64.per_step_grad_diff) <= 1e-12
    assert f32.replicas_max_diff == 0.0  # DDP keeps replicas bit-identical
    assert sum(f32.shard_sizes) == 64 and len(f32.losses) == 10


def test_uneven_batch_weighted_correctly_still_equal(clusters):
    e = clusters(3).run(ddp_vs_single, steps=3, batch=50, dtype="float64")
    assert e.shard_sizes == [17, 17, 16] and e.equal


@pytest.mark.parametrize("mistake", MISTAKES)
def test_every_mistake_is_caught_with_its_explanation(clusters, mistake):
    e = clusters(2).run(ddp_vs_single, steps=3, batch=64, dtype="float64", mistake=mistake)
    assert not e.equal
    assert e.explanation.code == f"ddp.why.{mistake}"
    assert max(e.per_step_grad_diff) > 1e-6
    if mistake == "different_init":
        assert e.replicas_max_diff > 0


def test_no_sync_accumulation_equals_a_big_batch_with_one_allreduce(clusters):
    a = clusters(2).run(no_sync_accumulation, micro=4, batch=32, dtype="float32")
    assert a.equal and a.grad_diff <= 1e-6
    assert a.allreduces_no_sync * 4 == a.allreduces_every_step


def test_buckets_launch_before_backward_ends(clusters):
    cl = clusters(2)
    small = cl.run(bucket_timeline, bucket_cap_mb=4.0)
    assert small.overlaps and len(small.buckets) > 1
    assert small.buckets[0].launch_ms < small.last_grad_ms <= small.backward_ms
    assert sum(b.bytes for b in small.buckets) == small.gradient_bytes
    one = cl.run(bucket_timeline, bucket_cap_mb=64.0)
    assert len(one.buckets) == 1 and not one.overlaps


def test_the_bound_follows_the_gradients_size(clusters):
    cl = clusters(2)
    plain = cl.run(ddp_vs_single, steps=3, batch=64, dtype="float32")
    big = cl.run(ddp_vs_single, steps=3, batch=64, dtype="float32", loss_scale=1e6)
    # the same steps with gradients a million times as large: their rounding level scales with them, ...
    assert big.rounding[0] == pytest.approx(1e6 * plain.rounding[0], rel=1e-3)
    assert big.equal and max(big.per_step_grad_diff) > 1e-6  # ... and a fixed 1e-6 would have failed this run
    tiny = cl.run(ddp_vs_single, steps=3, batch=64, dtype="float32", mistake="loss_times_world", loss_scale=1e-9)
    assert not tiny.equal and tiny.explanation.code == "ddp.why.loss_times_world"
    assert max(tiny.per_step_grad_diff) < 1e-6  # a fixed 1e-6 would have let this mistake through
    assert all(d > 1e3 * b for d, b in zip(tiny.per_step_grad_diff, tiny.bounds, strict=True))
