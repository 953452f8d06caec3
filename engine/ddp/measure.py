"""The DDP page's measurements on a running cluster, and the settings each one is run (and recorded) with: the
all-reduce sweep, the no_sync step times and the bytes on the wire. The page measures them live and
`python -m engine.ddp.bench --record` ships them; a recording is shown only while its settings match these."""

from __future__ import annotations

from engine.ddp.allreduce import SWEEP_ROUNDS, SWEEP_SIZES, allreduce_times
from engine.ddp.buckets import MICRO, STEP_ROUNDS, WIDTHS, step_times
from engine.ddp.cluster import Cluster
from engine.ddp.wire import WIRE_ROUNDS, WIRE_SIZE, wire_bytes


def sweep_settings(world: int) -> dict:
    """The settings the page's all-reduce sweep for `world` ranks runs (and a recording must match)."""
    return {"world_size": world, "sizes": SWEEP_SIZES, "rounds": SWEEP_ROUNDS, "dtype": "float32"}


def steps_settings(world: int) -> dict:
    """The settings of the page's no_sync step-time sweep for `world` ranks."""
    return {"world_size": world, "sizes_m": list(WIDTHS), "micro": MICRO, "rounds": STEP_ROUNDS}


def wire_settings(world: int) -> dict:
    """The settings of the page's bytes-on-the-wire measurement for `world` ranks."""
    return {"world_size": world, "size": WIRE_SIZE, "rounds": WIRE_ROUNDS, "dtype": "float32"}


def measure_wire(cl: Cluster, progress=None) -> list[dict]:
    """The page's bytes-on-the-wire measurement on `cl`: one large all-reduce per method, lo's counters around it,
    as plain rows (a recording's shape)."""
    wires = cl.run(wire_bytes, progress, size=WIRE_SIZE, rounds=WIRE_ROUNDS)
    return [dict(w.__dict__) for w in wires]


def _per_item(cl: Cluster, task, items: list, key: str, progress=None, **kwargs) -> list[dict]:
    """Run `task` once per item (kwargs `key`=[item]), so that other work on the cluster can interleave."""
    rows: list[dict] = []
    for i, item in enumerate(items, start=1):
        rows += cl.run(task, **{key: [item]}, **kwargs)
        if progress:
            progress(i, len(items))
    return rows


def measure_sweep(cl: Cluster, progress=None) -> list[dict]:
    """The page's all-reduce sweep on `cl`, one size per run."""
    return _per_item(cl, allreduce_times, SWEEP_SIZES, "sizes", progress, rounds=SWEEP_ROUNDS, dtype="float32")


def measure_steps(cl: Cluster, progress=None) -> list[dict]:
    """The page's step-time sweep on `cl`, one model size per run."""
    return _per_item(cl, step_times, list(WIDTHS), "sizes_m", progress, micro=MICRO, rounds=STEP_ROUNDS)
