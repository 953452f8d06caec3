"""Bytes measured on the wire, not only scheduled: the loopback interface's counters around one large all-reduce.

Every rank of a Cluster talks over 127.0.0.1, so all their traffic crosses `lo`, whose byte counters Linux keeps in
`/proc/net/dev`. Rank 0 reads them between two barriers before and after one call of a method on a large buffer;
the difference is what the N ranks really sent, gloo's framing and TCP/IP headers included, beside what the method
schedules (the payload its transfer log adds up; for gloo's own all_reduce, whose transfers we cannot see, the
ring's 2(N−1)/N·S per rank, the schedule gloo's ring algorithm follows). `lo` is shared with every other program on
the machine, so each method is measured `rounds` times and the smallest difference is kept: other traffic only
adds. Time is each call's slowest rank; algbw = S / t and busbw = algbw · 2(N−1)/N, as nccl-tests defines them for
an all-reduce. Deliberately left out: other interfaces (several machines), and counting packets.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import torch.distributed as dist

from engine.ddp.allreduce import ALGORITHMS, DTYPES, METHODS, check, rank_input
from engine.ddp.cluster import Ctx, task

PROC_NET_DEV = Path("/proc/net/dev")
WIRE_SIZE = 1 << 22  # elements per rank: 16 MiB of float32, large enough that headers are a small share
WIRE_ROUNDS = 3


def lo_bytes(path: Path = PROC_NET_DEV) -> tuple[int, int] | None:
    """(received, transmitted) bytes of the loopback interface so far, or None where /proc/net/dev has no `lo`."""
    try:
        text = path.read_text()
    except OSError:
        return None
    for line in text.splitlines():
        name, _, counters = line.partition(":")
        if name.strip() == "lo":
            fields = counters.split()
            return int(fields[0]), int(fields[8])
    return None


@dataclass(frozen=True)
class Wire:
    """One method's large all-reduce: bytes scheduled and measured on `lo` (all ranks together), its time, and
    nccl-tests' bandwidths."""

    method: str
    world_size: int
    buffer_bytes: int  # S, per rank
    scheduled_bytes: int  # payload every rank hands to send, summed over ranks
    measured_bytes: int | None  # lo's transmitted bytes during the call, the smallest over rounds (None: no lo)
    ms: float  # the slowest rank's time for the call, median over rounds
    rounds: int

    @property
    def overhead(self) -> float | None:
        """measured / scheduled − 1: headers, framing and gloo's own messages, as a share of the payload."""
        if self.measured_bytes is None or not self.scheduled_bytes:
            return None
        return self.measured_bytes / self.scheduled_bytes - 1

    @property
    def algbw_gbps(self) -> float:
        """S / t in GB/s (10⁹ bytes), nccl-tests' algorithm bandwidth."""
        return self.buffer_bytes / (self.ms * 1e-3) / 1e9 if self.ms > 0 else float("inf")

    @property
    def busbw_gbps(self) -> float:
        """algbw · 2(N−1)/N, nccl-tests' bus bandwidth for an all-reduce (what each link carries)."""
        n = self.world_size
        return self.algbw_gbps * 2 * (n - 1) / n


def scheduled(method: str, world: int, size: int, itemsize: int) -> int:
    """Payload bytes all ranks together hand to send for one all-reduce of `size` elements per rank. The ring: in
    each of its 2(N−1) steps every chunk is sent by exactly one rank, so S per step, 2(N−1)·S in all, however
    unevenly the chunks split (gloo's ring follows the same schedule). The naive ring: (N−1)·S from each of N
    ranks. The parameter server: (N−1)·S to rank 0 and as much back."""
    s = size * itemsize
    if world < 2:
        return 0
    return {"ring": 2 * (world - 1) * s, "gloo": 2 * (world - 1) * s, "parameter_server": 2 * (world - 1) * s,
            "naive_ring": world * (world - 1) * s}[method]


def _combine(results: list[dict], size: int = WIRE_SIZE, dtype: str = "float32", rounds: int = WIRE_ROUNDS,
             methods: tuple[str, ...] = METHODS) -> list[Wire]:
    world, width = len(results), DTYPES[dtype].itemsize
    out = []
    for m in methods:
        slowest = sorted(max(r["seconds"][m][i] for r in results) for i in range(rounds))
        deltas = results[0]["lo"][m]
        out.append(Wire(m, world, size * width, scheduled(m, world, size, width),
                        min(deltas) if deltas and None not in deltas else None, slowest[len(slowest) // 2] * 1e3,
                        rounds))
    return out


def _check(size: int = WIRE_SIZE, dtype: str = "float32", **_: object) -> None:
    check(size, dtype)


@task(_combine, _check)
def wire_bytes(ctx: Ctx, size: int = WIRE_SIZE, dtype: str = "float32", rounds: int = WIRE_ROUNDS,
               methods: tuple[str, ...] = METHODS) -> dict:
    """Each method's all-reduce of `size` elements per rank, `rounds` times, with rank 0 reading lo's transmitted
    bytes between barriers before and after each call (a Cluster task; ticks once per method)."""
    x = rank_input(ctx.rank, size, dtype, 0)
    seconds: dict[str, list[float]] = {}
    lo: dict[str, list[int | None]] = {}
    for i, m in enumerate(methods, start=1):
        ALGORITHMS[m](x.clone(), ctx.rank, ctx.world)  # untimed: first-call setup
        seconds[m], lo[m] = [], []
        for _ in range(rounds):
            buf = x.clone()
            dist.barrier()
            before = lo_bytes() if ctx.rank == 0 else None
            dist.barrier()
            t0 = time.perf_counter()
            ALGORITHMS[m](buf, ctx.rank, ctx.world)
            seconds[m].append(time.perf_counter() - t0)
            dist.barrier()  # every rank's sends have arrived before rank 0 reads again
            after = lo_bytes() if ctx.rank == 0 else None
            lo[m].append(after[1] - before[1] if before and after else None)
        ctx.tick(i, len(methods))
    return {"seconds": seconds, "lo": lo}
