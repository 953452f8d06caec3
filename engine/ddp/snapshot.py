"""The DDP page's default view, recorded: every result its first screen shows (the three all-reduces of the replayed
buffer, DDP against one process, no_sync accumulation, the bucket timeline), measured once on real processes and
shipped as JSON, so that a first visit draws at once while the worker processes start (issue #31).

`encode` turns the engine's result dataclasses, messages and numpy arrays into plain JSON values and `decode`
rebuilds them, for exactly the classes listed in `CLASSES` (nothing else is ever constructed from the file).
`record(cluster, n)` runs the default view's tasks and `save`s them with engine.recorded; `load(n)` reads them back
as {key: result}, keyed as the page asks for them.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import json
import time
from typing import Any

import numpy as np

from engine import recorded
from engine.ddp.allreduce import (
    AllReduceResult,
    Transfer,
    naive_ring_allreduce,
    parameter_server_allreduce,
    ring_allreduce,
)
from engine.ddp.buckets import Bucket, Timeline, bucket_timeline
from engine.ddp.cluster import Cluster
from engine.ddp.equivalence import Accumulation, Equivalence, ddp_vs_single, no_sync_accumulation
from engine.ddp.hook import DdpBucket
from engine.messages import Message

CLASSES = {c.__name__: c for c in (AllReduceResult, Transfer, Equivalence, DdpBucket, Accumulation, Timeline,
                                   Bucket)}
SIZE, CAP = 12, 4.0  # the page's default replayed buffer and bucket_cap_mb
TASKS = {"ring": ring_allreduce, "naive_ring": naive_ring_allreduce, "parameter_server": parameter_server_allreduce}


def encode(obj: Any) -> Any:
    """`obj` as plain JSON values, tagged where a type must come back (a dataclass, a message, an array, a tuple)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {"__dc__": type(obj).__name__, **{f.name: encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}}
    if isinstance(obj, Message):
        return {"__msg__": obj.code, "params": encode(obj.params)}
    if isinstance(obj, np.ndarray):
        return {"__np__": str(obj.dtype), "shape": list(obj.shape),
                "b64": base64.b64encode(np.ascontiguousarray(obj).astype(obj.dtype.newbyteorder("<")).tobytes())
                .decode("ascii")}
    if isinstance(obj, tuple):
        return {"__tuple__": [encode(v) for v in obj]}
    if isinstance(obj, list):
        return [encode(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): encode(v) for k, v in obj.items()}
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def decode(obj: Any) -> Any:
    """The inverse of `encode`, building only the classes in CLASSES."""
    if isinstance(obj, list):
        return [decode(v) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if "__dc__" in obj:
        cls = CLASSES[obj["__dc__"]]
        return cls(**{f.name: decode(obj[f.name]) for f in dataclasses.fields(cls) if f.name in obj})
    if "__msg__" in obj:
        return Message(obj["__msg__"], **decode(obj["params"]))
    if "__np__" in obj:
        dt = np.dtype(obj["__np__"])
        if dt.kind not in "fiub":  # numbers only: an object array is never built from a file
            raise ValueError(f"not a numeric dtype: {dt}")
        raw = np.frombuffer(base64.b64decode(obj["b64"]), dtype=dt.newbyteorder("<"))
        return raw.astype(dt).reshape(obj["shape"])
    if "__tuple__" in obj:
        return tuple(decode(v) for v in obj["__tuple__"])
    return {k: decode(v) for k, v in obj.items()}


def default_calls(n: int) -> list[tuple[tuple, Any, dict]]:
    """(the page's cache key, the task, its arguments) for every result the default view of `n` processes shows."""
    calls: list[tuple[tuple, Any, dict]] = [(("allreduce", m, SIZE), t, {"size": SIZE}) for m, t in TASKS.items()]
    for dtype in ("float32", "float64"):  # the panel, and the walkthrough's float64 step
        calls.append((("eq", "mlp", dtype, None, "ring"), ddp_vs_single,
                      {"model": "mlp", "steps": 10, "batch": 64, "dtype": dtype, "mistake": None, "allreduce": "ring"}))
    calls.append((("acc", "float32"), no_sync_accumulation, {"micro": 4, "batch": 32, "dtype": "float32"}))
    calls.append((("timeline", CAP), bucket_timeline, {"bucket_cap_mb": CAP}))
    return calls


def settings(n: int) -> dict:
    """What a recording of the default view must have been measured with."""
    return {"world_size": n, "size": SIZE, "cap": CAP, "keys": [json.dumps(encode(k)) for k, _, _ in default_calls(n)]}


def record(cl: Cluster, n: int) -> None:
    """Run the default view's tasks on `cl` and ship them as `view_n{n}`."""
    t = time.perf_counter()
    rows = [{"key": json.dumps(encode(key)), "value": encode(cl.run(task, **kw))} for key, task, kw in default_calls(n)]
    recorded.save("ddp", f"view_n{n}", rows, settings(n), time.perf_counter() - t)


@functools.cache
def load(n: int) -> tuple[recorded.Recorded, dict[str, Any]] | None:
    """The shipped default view of `n` processes: the recording (for its caption) and {key: result}, or None (read
    once per process; callers must not change the results)."""
    rec = recorded.matching("ddp", [f"view_n{n}"], settings(n))
    if rec is None:
        return None
    return rec, {row["key"]: decode(row["value"]) for row in rec.rows}


def key_of(key: tuple) -> str:
    """A page cache key as the recording stores it."""
    return json.dumps(encode(key))
