"""Three all-reduces written with point-to-point isend/recv, every transfer logged, checked against gloo's own.

- `ring_allreduce`: the buffer cut in N chunks; N−1 reduce-scatter steps (each rank adds the chunk its left
  neighbour sends into its own copy) leave rank r holding the full sum of chunk r+1, then N−1 all-gather
  steps pass the finished chunks on. Each rank sends 2(N−1) chunks: 2(N−1)/N of the buffer, whatever N is.
- `naive_ring_allreduce`: the whole buffer goes round the ring N−1 times: (N−1)·S bytes per rank.
- `parameter_server_allreduce`: everyone sends to rank 0, which sums and sends the total back: rank 0
  alone sends (N−1)·S and receives as much, the bottleneck that grows with N.
Every task runs on an `engine.ddp.Cluster`; each rank's input is drawn from a seed, so any rank can rebuild
all inputs and check the result against a float64 sum and against `dist.all_reduce` on the same data.
Deliberately left out: overlapping the chunks of one step (pipelining), and reduce ops other than sum.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.distributed as dist

from engine.ddp.cluster import Ctx, task
from engine.messages import CodedError, define
from engine.timing import Timing

DTYPES = {"float32": torch.float32, "float64": torch.float64}
MAX_SIZE = 1 << 24  # elements per rank: 64 MiB of float32 each, with a few copies per rank
SNAPSHOT_LIMIT = 64  # buffers this small are recorded after every step, for the page to replay
METHODS = ("ring", "gloo", "naive_ring", "parameter_server")
SWEEP_SIZES = [1 << k for k in range(10, 23, 2)]  # 1 Ki to 4 Mi elements: 4 KiB to 16 MiB of float32
SWEEP_ROUNDS = 11

define({
    "ddp.size": "the buffer has 1 to {limit} elements, not {n}",
    "ddp.dtype": "dtype is one of {choices}, not {dtype}",
})


@dataclass(frozen=True)
class Transfer:
    """One message: in `step` of `phase`, rank `src` sent chunk `chunk` (−1: the whole buffer) to `dst`."""

    step: int
    phase: str  # reduce_scatter, all_gather, pass (naive ring), gather, broadcast (parameter server)
    src: int
    dst: int
    chunk: int
    bytes: int
    start_ms: float  # from the first transfer's start, on the clock every process on this machine shares
    end_ms: float


@dataclass(frozen=True)
class AllReduceResult:
    """A logged all-reduce: its transfers, the bytes each rank sent, and how its sum compares."""

    method: str
    world_size: int
    size: int
    dtype: str
    events: list[Transfer]
    bytes_sent_per_rank: list[int]
    result_equal_to_gloo: bool  # within the rounding that a different order of N additions allows
    max_abs_diff_vs_gloo: float
    max_abs_err_vs_float64: float
    gloo_err_vs_float64: float
    replicas_identical: bool  # every rank ended with bit-identical buffers
    ms: float  # the slowest rank's time for the whole all-reduce, logging included
    chunk_bounds: list[tuple[int, int]]  # [start, stop) of each chunk
    inputs: list[np.ndarray] | None  # each rank's buffer before, when size ≤ SNAPSHOT_LIMIT
    snapshots: list[list[np.ndarray]] | None  # after each step, each rank's buffer (size ≤ SNAPSHOT_LIMIT)

    @property
    def buffer_bytes(self) -> int:
        """S: the bytes of one rank's buffer."""
        return self.size * torch.tensor([], dtype=DTYPES[self.dtype]).element_size()

    @property
    def ideal_bytes_per_rank(self) -> float:
        """What the method's formula says each rank sends (rank 0, the busiest, for the parameter server)."""
        n, s = self.world_size, self.buffer_bytes
        return {"ring": 2 * (n - 1) / n * s, "naive_ring": (n - 1) * s, "parameter_server": (n - 1) * s}[self.method]


def check(size: int, dtype: str = "float32", **_: object) -> None:
    """Refuse sizes and dtypes before any rank allocates anything."""
    if not 1 <= int(size) <= MAX_SIZE:
        raise CodedError("ddp.size", n=size, limit=MAX_SIZE)
    if dtype not in DTYPES:
        raise CodedError("ddp.dtype", dtype=dtype, choices=", ".join(DTYPES))


def rank_input(rank: int, size: int, dtype: str, seed: int) -> torch.Tensor:
    """Rank `rank`'s buffer: seeded normal values, so any process can rebuild any rank's input."""
    g = torch.Generator().manual_seed(seed * 1009 + rank)
    return torch.randn(size, generator=g, dtype=torch.float64).to(DTYPES[dtype])


# -- the three algorithms, on one rank ---------------------------------------------------------------------
Log = list[tuple[int, str, int, int, int, int, float, float]] | None
Snap = Callable[[torch.Tensor], None] | None


def _exchange(send: torch.Tensor, dst: int, recv: torch.Tensor, src: int) -> None:
    """Send to one neighbour while receiving from the other: isend first, so no two ranks wait on each other."""
    req = dist.isend(send, dst)
    dist.recv(recv, src)
    req.wait()


def ring(buf: torch.Tensor, rank: int, world: int, log: Log = None, snap: Snap = None) -> None:
    """Sum `buf` over all ranks in place: reduce-scatter then all-gather, in N chunks round the ring."""
    chunks = list(torch.tensor_split(buf, world))  # views, so the chunks write straight into buf
    right, left = (rank + 1) % world, (rank - 1) % world
    scratch = torch.empty(max(c.numel() for c in chunks), dtype=buf.dtype)
    step = 0
    for phase, shift in (("reduce_scatter", 0), ("all_gather", 1)):
        for s in range(world - 1):
            out, into = (rank - s + shift) % world, (rank - s - 1 + shift) % world
            t0 = time.perf_counter()
            if phase == "reduce_scatter":
                got = scratch[:chunks[into].numel()]
                _exchange(chunks[out], right, got, left)
                chunks[into].add_(got)
            else:  # the finished chunk overwrites ours
                _exchange(chunks[out], right, chunks[into], left)
            if log is not None:
                log.append((step, phase, rank, right, out, chunks[out].numel() * buf.element_size(), t0,
                            time.perf_counter()))
            if snap:
                snap(buf)
            step += 1


def naive_ring(buf: torch.Tensor, rank: int, world: int, log: Log = None, snap: Snap = None) -> None:
    """Sum `buf` over all ranks in place by passing whole buffers round the ring N−1 times."""
    right, left = (rank + 1) % world, (rank - 1) % world
    cur, nxt = buf.clone(), torch.empty_like(buf)  # buf itself accumulates the total
    for s in range(world - 1):
        t0 = time.perf_counter()
        _exchange(cur, right, nxt, left)
        buf.add_(nxt)  # rank r adds in the order r, r−1, r−2, …: replicas may differ in the last bit
        cur, nxt = nxt, cur
        if log is not None:
            log.append((s, "pass", rank, right, -1, buf.numel() * buf.element_size(), t0, time.perf_counter()))
        if snap:
            snap(buf)


def parameter_server(buf: torch.Tensor, rank: int, world: int, log: Log = None, snap: Snap = None) -> None:
    """Sum `buf` over all ranks in place through rank 0: gather and add there, then send the total back."""
    nbytes = buf.numel() * buf.element_size()
    t0 = time.perf_counter()
    if rank == 0:
        got = torch.empty_like(buf)
        for src in range(1, world):
            dist.recv(got, src)
            buf.add_(got)
    else:
        dist.send(buf, 0)
    if log is not None and rank:
        log.append((0, "gather", rank, 0, -1, nbytes, t0, time.perf_counter()))
    if snap:
        snap(buf)
    t0 = time.perf_counter()
    if rank == 0:
        reqs = [dist.isend(buf, dst) for dst in range(1, world)]
        for r in reqs:
            r.wait()
        if log is not None:
            log += [(1, "broadcast", 0, dst, -1, nbytes, t0, time.perf_counter()) for dst in range(1, world)]
    else:
        dist.recv(buf, 0)
    if snap:
        snap(buf)


def gloo(buf: torch.Tensor, rank: int, world: int, log: Log = None, snap: Snap = None) -> None:
    """gloo's own all_reduce, the reference (its transfers are not visible from here)."""
    dist.all_reduce(buf)


ALGORITHMS = {"ring": ring, "naive_ring": naive_ring, "parameter_server": parameter_server, "gloo": gloo}


# -- tasks ---------------------------------------------------------------------------------------------------
def _logged(method: str, ctx: Ctx, size: int, dtype: str = "float32", seed: int = 0) -> dict:
    x = rank_input(ctx.rank, size, dtype, seed)
    ref = x.clone()
    small = size <= SNAPSHOT_LIMIT
    snaps: list[np.ndarray] = []
    log: list = []
    buf = x.clone()
    dist.barrier()
    t0 = time.perf_counter()
    ALGORITHMS[method](buf, ctx.rank, ctx.world, log, (lambda b: snaps.append(b.numpy().copy())) if small else None)
    seconds = time.perf_counter() - t0
    dist.all_reduce(ref)
    exact = sum(rank_input(r, size, dtype, seed).double() for r in range(ctx.world))
    magnitude = sum(rank_input(r, size, dtype, seed).double().abs() for r in range(ctx.world))
    same = torch.tensor([1 if _is_first_replica(buf) else 0])
    eps = torch.finfo(buf.dtype).eps
    return {"log": log, "seconds": seconds, "input": x.numpy().copy() if small else None, "snaps": snaps,
            "diff_gloo": float((buf - ref).abs().max()),
            "within": bool(((buf.double() - ref.double()).abs() <= 2 * max(1, ctx.world - 1) * eps * magnitude).all()),
            "err64": float((buf.double() - exact).abs().max()), "gloo64": float((ref.double() - exact).abs().max()),
            "same": int(same.item()), "t0": t0}


def _is_first_replica(buf: torch.Tensor) -> bool:
    """Whether this rank's buffer is bit-identical to rank 0's (rank 0 broadcasts its copy)."""
    first = buf.clone()
    dist.broadcast(first, 0)
    return torch.equal(first, buf)


def _combine(method: str) -> Callable[..., AllReduceResult]:
    def combine(results: list[dict], size: int, dtype: str = "float32", seed: int = 0) -> AllReduceResult:
        world = len(results)
        start = min(min((e[6] for e in r["log"]), default=r["t0"]) for r in results)
        events = sorted((Transfer(s, ph, src, dst, ch, nb, (a - start) * 1e3, (b - start) * 1e3)
                         for r in results for s, ph, src, dst, ch, nb, a, b in r["log"]),
                        key=lambda e: (e.step, e.src, e.dst))
        sent = [sum(e.bytes for e in events if e.src == rank) for rank in range(world)]
        small = size <= SNAPSHOT_LIMIT
        steps = len(results[0]["snaps"]) if small else 0
        bounds = [(int(c[0]), int(c[-1]) + 1) if len(c) else (0, 0)
                  for c in np.array_split(np.arange(size), world)]
        return AllReduceResult(
            method, world, size, dtype, events, sent, all(r["within"] for r in results),
            max(r["diff_gloo"] for r in results), max(r["err64"] for r in results),
            max(r["gloo64"] for r in results), all(r["same"] for r in results),
            max(r["seconds"] for r in results) * 1e3, bounds, [r["input"] for r in results] if small else None,
            [[results[rank]["snaps"][s] for rank in range(world)] for s in range(steps)] if small else None)
    return combine


@task(_combine("ring"), check)
def ring_allreduce(ctx: Ctx, size: int, dtype: str = "float32", seed: int = 0) -> dict:
    """Our ring all-reduce of each rank's seeded buffer, logged transfer by transfer (a Cluster task)."""
    return _logged("ring", ctx, size, dtype, seed)


@task(_combine("naive_ring"), check)
def naive_ring_allreduce(ctx: Ctx, size: int, dtype: str = "float32", seed: int = 0) -> dict:
    """Whole buffers passed round the ring, logged (a Cluster task)."""
    return _logged("naive_ring", ctx, size, dtype, seed)


@task(_combine("parameter_server"), check)
def parameter_server_allreduce(ctx: Ctx, size: int, dtype: str = "float32", seed: int = 0) -> dict:
    """Gather to rank 0 and send back, logged (a Cluster task)."""
    return _logged("parameter_server", ctx, size, dtype, seed)


def _times_check(sizes: list[int], dtype: str = "float32", rounds: int = 5, **_: object) -> None:
    for s in sizes:
        check(s, dtype)


def _times_combine(results: list[dict], sizes: list[int], dtype: str = "float32", rounds: int = 5,
                   methods: tuple[str, ...] = METHODS) -> list[dict]:
    world, width = len(results), DTYPES[dtype].itemsize
    rows = []
    for size in sizes:
        n = rounds_at(size, rounds)
        slowest = {m: [max(r[(size, m)][i] for r in results) for i in range(n)] for m in methods}  # the last rank
        for m in methods:
            t = Timing.of(slowest[m])
            row = {"method": m, "world_size": world, "elements": size, "bytes": size * width, "rounds": t.rounds,
                   "median_ms": t.median_s * 1e3, "lo_ms": t.lo_s * 1e3, "hi_ms": t.hi_s * 1e3, "busy": t.busy}
            if "gloo" in slowest:  # against gloo in the same round: a burst of load slows both alike
                ratio = Timing.of([a / b for a, b in zip(slowest[m], slowest["gloo"], strict=True)])
                row |= {"over_gloo": ratio.median_s, "over_gloo_lo": ratio.lo_s, "over_gloo_hi": ratio.hi_s}
            rows.append(row)
    return rows


def rounds_at(size: int, rounds: int) -> int:
    """Rounds for a buffer of `size` elements: more for small ones (up to 64), whose time is mostly the
    scheduler's and which cost almost nothing to repeat."""
    return min(64, max(rounds, (rounds << 16) // max(1, size)))


@task(_times_combine, _times_check)
def allreduce_times(ctx: Ctx, sizes: list[int], dtype: str = "float32", rounds: int = 5,
                    methods: tuple[str, ...] = METHODS) -> dict:
    """Seconds per all-reduce on this rank for every size and method, methods taking turns round by round
    after one untimed call each; a barrier starts every call (a Cluster task; ticks once per size)."""
    out: dict = {}
    for i, size in enumerate(sizes, start=1):
        x = rank_input(ctx.rank, size, dtype, 0)
        for m in methods:
            ALGORITHMS[m](x.clone(), ctx.rank, ctx.world)
        samples: dict[str, list[float]] = {m: [] for m in methods}
        for r in range(rounds_at(size, rounds)):
            for m in methods[r % len(methods):] + methods[:r % len(methods)]:
                buf = x.clone()
                dist.barrier()
                t0 = time.perf_counter()
                ALGORITHMS[m](buf, ctx.rank, ctx.world)
                samples[m].append(time.perf_counter() - t0)
        out.update({(size, m): v for m, v in samples.items()})
        ctx.tick(i, len(sizes))
    return out


def contributors(result: AllReduceResult, rtol: float = 1e-4) -> list[list[list[tuple[int, ...]]]]:
    """Whose inputs each rank's chunk holds, before the first step and after each: [state][rank][chunk] ->
    the ranks whose values it sums, found by matching the logged buffer against the sums of every subset of
    the logged inputs (empty when nothing matches, or when the run was too large to log buffers)."""
    if result.inputs is None or result.snapshots is None:
        return []
    n = result.world_size
    subsets = [tuple(r for r in range(n) if mask >> r & 1) for mask in range(1, 1 << n)]
    states = [list(result.inputs), *result.snapshots]
    out = []
    for bufs in states:
        per_rank = []
        for buf in bufs:
            row = []
            for a, b in result.chunk_bounds:
                want = buf[a:b].astype(np.float64)
                found = next((s for s in subsets
                              if np.allclose(want, sum(result.inputs[r][a:b].astype(np.float64) for r in s),
                                             rtol=rtol, atol=rtol)), ())
                row.append(found)
            per_rank.append(row)
        out.append(per_rank)
    return out
