"""When DDP communicates: gradient buckets all-reduced while backward is still running, and what no_sync saves.

DDP groups parameters into buckets of about `bucket_cap_mb` (in reverse order of the forward pass, since
backward produces the last layer's gradients first) and launches a bucket's all-reduce the moment its
last gradient is ready. `bucket_timeline` installs a communication hook that does what DDP's default hook
does (divide by N, all-reduce) while noting when each bucket was launched and when it completed, beside
backward's start, the moment the last gradient was computed, and the moment `backward()` returned (DDP
waits there for the outstanding all-reduces). `step_times` times K micro-steps synchronising every time
against K−1 under `no_sync` and one that synchronises, for MLPs of 0.1 to 10 M parameters.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP

from engine.ddp.cluster import Ctx, task
from engine.ddp.models import count_parameters, wide_mlp
from engine.messages import CodedError, define
from engine.timing import Timing

TIMELINE_WIDTH, TIMELINE_LAYERS, TIMELINE_BATCH = 1024, 6, 64  # ≈ 6 M parameters, 24 MB of float32 gradients
CAP_RANGE = (0.25, 64.0)
WIDTHS = {0.1: 160, 1.0: 640, 10.0: 2200}  # ≈ M parameters -> hidden width of a 3-hidden-layer MLP
STEP_ROUNDS, MICRO = 5, 4

define({"ddp.cap": "bucket_cap_mb is {low} to {high}, not {cap}"})


@dataclass(frozen=True)
class Bucket:
    """One gradient bucket's all-reduce on rank 0, in ms from the start of backward."""

    index: int
    parameters: int  # tensors in the bucket
    bytes: int
    launch_ms: float
    done_ms: float


@dataclass(frozen=True)
class Timeline:
    """Rank 0's backward and its bucket all-reduces; `overlaps` when one launched before backward's compute
    ended (on every rank)."""

    world_size: int
    bucket_cap_mb: float
    parameters: int
    gradient_bytes: int
    buckets: list[Bucket]
    backward_ms: float  # backward() returned (after waiting for the all-reduces)
    last_grad_ms: float  # the last gradient was computed: backward's own work ended
    overlaps: bool


def watch_allreduces(net: DDP, world: int) -> list[list]:
    """Give `net` a communication hook that does what DDP's default one does (divide the bucket by N, then
    all-reduce it) and logs each bucket as [index, tensors, bytes, launched, completed] (perf_counter s)."""
    log: list[list] = []

    def hook(state, bucket):  # unannotated: DDP checks annotations, and ours would be strings here
        launched = time.perf_counter()
        buf = bucket.buffer().div_(world)
        row = [bucket.index(), len(bucket.parameters()), buf.numel() * buf.element_size(), launched, launched]
        log.append(row)

        def done(f: torch.futures.Future) -> torch.Tensor:
            row[4] = time.perf_counter()
            return f.value()[0]
        return dist.all_reduce(buf, async_op=True).get_future().then(done)

    net.register_comm_hook(None, hook)
    return log


def _cap_check(bucket_cap_mb: float = 4.0, **_: object) -> None:
    if not CAP_RANGE[0] <= float(bucket_cap_mb) <= CAP_RANGE[1]:
        raise CodedError("ddp.cap", cap=bucket_cap_mb, low=CAP_RANGE[0], high=CAP_RANGE[1])


def _timeline_combine(results: list[dict], bucket_cap_mb: float = 4.0, seed: int = 0) -> Timeline:
    r0 = results[0]
    return Timeline(len(results), float(bucket_cap_mb), r0["parameters"], r0["bytes"],
                    [Bucket(*b) for b in r0["buckets"]], r0["backward_ms"], r0["last_grad_ms"],
                    all(r["overlaps"] for r in results))


@task(_timeline_combine, _cap_check)
def bucket_timeline(ctx: Ctx, bucket_cap_mb: float = 4.0, seed: int = 0) -> dict:
    """Record, on every rank, when each gradient bucket's all-reduce launched and completed against backward's
    start, its last gradient and its return, on the third step (DDP rebuilds its buckets after the first)."""
    torch.manual_seed(seed)
    net = DDP(wide_mlp(TIMELINE_WIDTH, TIMELINE_LAYERS), bucket_cap_mb=float(bucket_cap_mb))
    marks = watch_allreduces(net, ctx.world)
    grads: list[float] = []
    for p in net.parameters():
        p.register_post_accumulate_grad_hook(lambda _p: grads.append(time.perf_counter()))
    g = torch.Generator().manual_seed(seed + ctx.rank)
    x = torch.randn(TIMELINE_BATCH, 256, generator=g)
    for _ in range(3):
        marks.clear()
        grads.clear()
        net.zero_grad(set_to_none=True)
        loss = F.mse_loss(net(x), torch.zeros(TIMELINE_BATCH, 256))
        dist.barrier()
        t0 = time.perf_counter()
        loss.backward()
        t1 = time.perf_counter()
    ms = lambda t: (t - t0) * 1e3  # noqa: E731 - one conversion, used for every mark
    buckets = [(i, n, nb, ms(a), ms(b)) for i, n, nb, a, b in sorted(marks, key=lambda m: m[3])]
    last = ms(max(grads))
    ctx.tick(1, 1)
    return {"buckets": buckets, "backward_ms": ms(t1), "last_grad_ms": last, "overlaps": buckets[0][3] < last,
            "parameters": count_parameters(net.module), "bytes": 4 * count_parameters(net.module)}


def _steps_combine(results: list[dict], sizes_m: list[float], micro: int = 4, rounds: int = 5,
                   batch: int = 32) -> list[dict]:
    rows = []
    for size in sizes_m:
        key = str(size)
        for mode in ("every_step", "no_sync"):
            slowest = [max(r[key][mode][i] for r in results) for i in range(rounds)]
            t = Timing.of(slowest)
            rows.append({"params_m": size, "parameters": results[0][key]["parameters"], "mode": mode,
                         "world_size": len(results), "micro": micro, "allreduces": results[0][key]["count"][mode],
                         "median_ms": t.median_s * 1e3, "lo_ms": t.lo_s * 1e3, "hi_ms": t.hi_s * 1e3,
                         "busy": t.busy})
    return rows


def _steps_check(sizes_m: list[float], micro: int = 4, rounds: int = 5, **_: object) -> None:
    for s in sizes_m:
        if s not in WIDTHS:
            raise CodedError("ddp.model", model=s, choices=", ".join(map(str, WIDTHS)))


def _micro_steps(net: DDP, opt: torch.optim.Optimizer, xs: torch.Tensor, accumulate: bool) -> None:
    """One optimizer step over the micro-batches in `xs`, under no_sync until the last when `accumulate`."""
    opt.zero_grad(set_to_none=True)
    for k in range(len(xs)):
        if accumulate and k < len(xs) - 1:
            with net.no_sync():
                net(xs[k]).square().mean().backward()
        else:
            net(xs[k]).square().mean().backward()
    opt.step()


@task(_steps_combine, _steps_check)
def step_times(ctx: Ctx, sizes_m: list[float], micro: int = 4, rounds: int = 5, batch: int = 32) -> dict:
    """Seconds for `micro` micro-steps (forward, backward, optimizer at the end) synchronising every time
    against under no_sync until the last, interleaved round by round (a Cluster task; ticks per size)."""
    out: dict = {}
    for i, size in enumerate(sizes_m, start=1):
        torch.manual_seed(0)
        net = DDP(wide_mlp(WIDTHS[size], 3))
        log = watch_allreduces(net, ctx.world)
        opt = torch.optim.SGD(net.parameters(), lr=1e-3)
        g = torch.Generator().manual_seed(ctx.rank)
        xs = torch.randn(micro, batch, 256, generator=g)

        samples: dict[str, list[float]] = {"every_step": [], "no_sync": []}
        counts: dict[str, int] = {}
        for mode in samples:  # one untimed call each: the first step also rebuilds DDP's buckets
            _micro_steps(net, opt, xs, mode == "no_sync")
        for r in range(rounds):
            for mode in (["every_step", "no_sync"] if r % 2 == 0 else ["no_sync", "every_step"]):
                log.clear()
                dist.barrier()
                t0 = time.perf_counter()
                _micro_steps(net, opt, xs, mode == "no_sync")
                samples[mode].append(time.perf_counter() - t0)
                counts[mode] = len(log)  # bucket all-reduces in one call: a count load cannot change
        out[str(size)] = {**samples, "count": counts, "parameters": count_parameters(net.module)}
        ctx.tick(i, len(sizes_m))
    return out
