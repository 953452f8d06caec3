"""Our logged ring all-reduce as a DDP communication hook: `net.register_comm_hook(RingState(rank, world), ring_hook)`.

DDP hands the hook each gradient bucket (a flat tensor of several parameters' gradients) as soon as backward has
filled it. DDP's default hook divides the bucket by N and all-reduces it with the process group; this one divides
by N and sums with `engine.ddp.allreduce.ring`, the reduce-scatter then all-gather the page replays, so DDP's
gradients really travel through our ring. While `state.record` is set it also keeps, per bucket, the transfer log,
the bucket before and after each ring step (buckets up to `state.snapshot_limit` elements), and a check against
gloo's own all_reduce of the same bucket. Deliberately left out: overlapping buckets (our ring is synchronous, so
a bucket's sum completes before backward goes on), compression, and GPUs.

This module does not use `from __future__ import annotations`: DDP compares the hook's annotations with the
real `dist.GradBucket` and `Future[Tensor]` classes, and strings would not match.
"""

import hashlib
import time
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.distributed as dist

from engine.ddp.allreduce import ring


@dataclass
class RingState:
    """What `ring_hook` needs and what it records: this rank, the world size, and (while `record`) one dict per
    bucket in `buckets`, in the order DDP launched them."""

    rank: int
    world: int
    record: bool = False
    snapshot_limit: int = 4096
    buckets: list = field(default_factory=list)
    calls: int = 0  # buckets summed through the ring, recorded or not


def ring_hook(state: RingState, bucket: dist.GradBucket) -> torch.futures.Future[torch.Tensor]:
    """Average `bucket` over the ranks through our ring (divide by N, then reduce-scatter and all-gather), logging
    it when `state.record`; returns the completed future DDP waits on."""
    buf = bucket.buffer()
    buf.div_(state.world)
    state.calls += 1
    if not state.record:
        ring(buf, state.rank, state.world)
    else:
        state.buckets.append(_recorded(state, bucket.index(), len(bucket.parameters()), buf))
    fut: torch.futures.Future[torch.Tensor] = torch.futures.Future()
    fut.set_result(buf)
    return fut


def _recorded(state: RingState, index: int, params: int, buf: torch.Tensor) -> dict:
    """Run the ring on `buf` in place, keeping its log, snapshots and the comparison with gloo on the same input."""
    small = buf.numel() <= state.snapshot_limit
    before = buf.detach().clone()
    log: list = []
    snaps: list = []
    t0 = time.perf_counter()
    ring(buf, state.rank, state.world, log, (lambda b: snaps.append(b.numpy().copy())) if small else None)
    seconds = time.perf_counter() - t0
    ref, magnitude = before.clone(), before.abs()
    dist.all_reduce(ref)  # gloo's sum of the same bucket, the reference
    dist.all_reduce(magnitude)
    eps = torch.finfo(buf.dtype).eps
    diff = (buf.double() - ref.double()).abs()
    return {"index": index, "params": params, "numel": buf.numel(), "dtype": str(buf.dtype).removeprefix("torch."),
            "log": log, "seconds": seconds, "t0": t0, "input": before.numpy().copy() if small else None,
            "snaps": snaps if small else None, "diff_gloo": float(diff.max()) if diff.numel() else 0.0,
            "within": bool((diff <= 2 * max(1, state.world - 1) * eps * magnitude.double()).all()),
            "digest": hashlib.sha256(buf.numpy().tobytes()).hexdigest()}


@dataclass(frozen=True)
class DdpBucket:
    """One gradient bucket DDP handed to `ring_hook`: its index, how many parameters it holds, and its ring
    all-reduce, logged transfer by transfer."""

    index: int
    parameters: int
    allreduce: object  # an engine.ddp.allreduce.AllReduceResult


def bucket_results(per_rank: list[list[dict]]) -> list[DdpBucket]:
    """Each recorded bucket as an `AllReduceResult` (the replay's input), from every rank's records in launch
    order: its transfers, payload per rank, agreement with gloo, and whether every rank ended bit-identical."""
    from engine.ddp.allreduce import AllReduceResult, Transfer

    world = len(per_rank)
    out = []
    for k in range(min((len(r) for r in per_rank), default=0)):
        recs = [r[k] for r in per_rank]
        start = min(min((e[6] for e in r["log"]), default=r["t0"]) for r in recs)
        events = sorted((Transfer(s, ph, src, dst, ch, nb, (a - start) * 1e3, (b - start) * 1e3)
                         for r in recs for s, ph, src, dst, ch, nb, a, b in r["log"]),
                        key=lambda e: (e.step, e.src, e.dst))
        size = recs[0]["numel"]
        bounds = [(int(c[0]), int(c[-1]) + 1) if len(c) else (0, 0) for c in np.array_split(np.arange(size), world)]
        small = recs[0]["input"] is not None
        err64 = gloo64 = float("nan")
        if small:
            exact = sum(r["input"].astype(np.float64) for r in recs)
            err64 = max(float(np.abs(r["snaps"][-1].astype(np.float64) - exact).max()) if r["snaps"] else 0.0
                        for r in recs)
        out.append(AllReduceResult(
            "ring", world, size, recs[0]["dtype"], events,
            [sum(e.bytes for e in events if e.src == rank) for rank in range(world)],
            all(r["within"] for r in recs), max(r["diff_gloo"] for r in recs), err64, gloo64,
            len({r["digest"] for r in recs}) == 1, max(r["seconds"] for r in recs) * 1e3, bounds,
            [r["input"] for r in recs] if small else None,
            [[recs[rank]["snaps"][s] for rank in range(world)] for s in range(len(recs[0]["snaps"]))]
            if small else None))
        out[-1] = DdpBucket(recs[0]["index"], recs[0]["params"], out[-1])
    return out
