"""A pool of real torch.distributed worker processes on this machine, started once and reused.

`Cluster(world_size=N)` starts N subprocesses of `python -m engine.ddp.worker` (never the caller's own
script: the Streamlit page or a notebook is not re-imported), each joining a gloo process group on
127.0.0.1 through a `file://` store unique to the cluster, with `OMP_NUM_THREADS=1`. The caller talks to
every rank over a local authenticated connection: `run(task, **kwargs)` sends the task's name and plain
keyword arguments to all ranks at once, each rank runs the task's per-rank function inside the process
group, and the task's `combine` turns the N per-rank results into one result.

A rank that exits, or sends nothing for `timeout_s` (a hang), raises `ClusterError` in the caller; the
cluster then stops every rank (SIGKILL where needed) and starts afresh on the next `run`. Workers also
exit by themselves when the connection to the caller closes or the caller's process disappears, so
nothing is left behind. Deliberately left out: several machines (see `engine.ddp.train` for torchrun),
GPUs (workers use gloo on CPU), and running two tasks at once on one cluster (a lock serialises them).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import queue
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, Listener, wait
from pathlib import Path
from typing import Any, Generic, TypeVar

from engine.ddp import zygote
from engine.messages import CodedError, define

ROOT = Path(__file__).resolve().parents[2]
MAX_WORLD = 4
TIMEOUT_S = 60.0  # on init and on every collective, as torch.distributed's own default is 30 min
# ranks are forked from a zygote (engine.ddp.zygote) where it can; "0" starts each as its own interpreter
FORK_RANKS = os.environ.get("GLASSBOX_DDP_FORK", "1") != "0"

define({
    "ddp.world_size": "a cluster has 1 to {limit} processes, not {n}",
    "ddp.rank_exited": "rank {rank} exited (status {status}) during {task}; the cluster was stopped and restarts on "
                       "the next run",
    "ddp.rank_silent": "rank {rank} sent nothing for {seconds} s during {task}; the cluster was stopped and "
                       "restarts on the next run",
    "ddp.rank_failed": "rank {rank} failed during {task}: {error}",
    "ddp.unknown_task": "{name} is not a task of engine.ddp",
})

R = TypeVar("R")
Out = TypeVar("Out")


def rank_env() -> dict[str, str]:
    """The environment every rank starts from: the caller's, with one thread per rank (N ranks share the cores)
    and gloo on the loopback interface."""
    return {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "GLOO_SOCKET_IFNAME": "lo",
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


class ClusterError(CodedError):
    """A rank died, hung or failed; `code` and `params` say which and while doing what."""


@dataclass(frozen=True)
class Ctx:
    """What a task's per-rank function gets besides its arguments: its rank, the world size, and `tick(done,
    total)`, which tells the caller how far it is (and proves the rank is alive)."""

    rank: int
    world: int
    tick: Callable[[int, int], None]


@dataclass(frozen=True)
class Task(Generic[R, Out]):
    """Work for every rank: `per_rank(ctx, **kwargs)` runs inside the process group on each rank, and
    `combine(results by rank, **kwargs)` makes the caller's result from theirs."""

    name: str  # "module:attribute", how a worker finds it
    per_rank: Callable[..., R]
    combine: Callable[..., Out]
    check: Callable[..., None] | None = None  # check(world=N, **kwargs) refuses bad arguments before any rank


def task(combine: Callable[..., Any], check: Callable[..., None] | None = None
         ) -> Callable[[Callable[..., Any]], Task]:
    """Make a module-level per-rank function a `Task` with `combine` (and `check` for its arguments)."""
    def wrap(fn: Callable[..., Any]) -> Task:
        return Task(f"{fn.__module__}:{fn.__name__}", fn, combine, check)
    return wrap


def resolve(name: str) -> Task:
    """The Task called `name`, only from engine.ddp's own modules (a worker runs nothing else)."""
    module, _, attr = name.partition(":")
    if not module.startswith("engine.ddp.") or not attr.isidentifier():
        raise CodedError("ddp.unknown_task", name=name)
    found = getattr(importlib.import_module(module), attr, None)
    if not isinstance(found, Task):
        raise CodedError("ddp.unknown_task", name=name)
    return found


class Cluster:
    """N gloo worker processes on 127.0.0.1; use as a context manager or call `close`."""

    def __init__(self, world_size: int = 2, timeout_s: float = TIMEOUT_S, start: bool = True,
                 progress: Callable[[int, int], None] | None = None) -> None:
        if not 1 <= int(world_size) <= MAX_WORLD:
            raise CodedError("ddp.world_size", n=world_size, limit=MAX_WORLD)
        self.world_size, self.timeout_s = int(world_size), float(timeout_s)
        self.procs: list[subprocess.Popen | zygote.Rank] = []
        self.conns: list[Connection] = []
        self.lock = threading.RLock()
        self.started_s = 0.0  # how long the last start took
        self.last_used = time.monotonic()  # for the idle shutdown of shared clusters
        self._dir: str | None = None
        if start:
            self.start(progress)

    # -- lifecycle ---------------------------------------------------------------------------------------
    @property
    def alive(self) -> bool:
        """Whether every rank is running and connected."""
        return len(self.conns) == self.world_size and all(p.poll() is None for p in self.procs)

    def pids(self) -> list[int]:
        """The process id of each rank, in rank order."""
        return [p.pid for p in self.procs]

    def start(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Start the ranks and wait until each has joined the process group; `progress(joined, N)`."""
        with self.lock:
            self.close()
            t0 = time.perf_counter()
            _TOUCHED[0] = time.monotonic()
            self._dir = tempfile.mkdtemp(prefix="glassbox-ddp-")
            key = secrets.token_bytes(32)
            listener = Listener(("127.0.0.1", 0), authkey=key)
            ours = {"GLASSBOX_DDP": f"{listener.address[0]}:{listener.address[1]}", "GLASSBOX_DDP_KEY": key.hex(),
                    "GLASSBOX_DDP_STORE": f"file://{self._dir}/store", "GLASSBOX_DDP_WORLD": str(self.world_size),
                    "GLASSBOX_DDP_TIMEOUT": str(self.timeout_s), "GLASSBOX_DDP_PARENT": str(os.getpid())}
            try:
                self.procs = self._fork_ranks(ours) if FORK_RANKS and zygote.available() else []
                if not self.procs:  # no zygote here, or it failed: each rank an interpreter of its own
                    self.procs = [subprocess.Popen([sys.executable, "-m", "engine.ddp.worker"], cwd=ROOT,
                                                   env={**rank_env(), **ours, "RANK": str(r)},
                                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                   stderr=subprocess.DEVNULL)
                                  for r in range(self.world_size)]
                self.conns = self._accept(listener)
                self._gather("init_process_group", progress, count_ready=True)  # "ready" once in the group
            except BaseException:
                self.close()
                raise
            finally:
                listener.close()
            self.started_s = time.perf_counter() - t0
            _LIVE.add(self)

    def _fork_ranks(self, ours: dict[str, str]) -> list[zygote.Rank]:
        """The ranks, forked from this process's zygote (torch already loaded); [] where the zygote does not start.
        A zygote lost after forking some ranks is a ClusterError, as a rank exiting at start is (the ones it
        forked may already hold a connection to this start's listener)."""
        ranks: list[zygote.Rank] = []
        try:
            z = zygote.shared(rank_env())
            for r in range(self.world_size):
                ranks.append(z.spawn({**ours, "RANK": str(r)}))
        except zygote.ZygoteError:
            if not ranks:
                return []
            for p in ranks:
                p.kill()
            raise ClusterError("ddp.rank_exited", rank=len(ranks), status=zygote.LOST,
                               task="init_process_group") from None
        return ranks

    def close(self) -> None:
        """Stop every rank: ask politely, then kill whatever is still running. Safe to call twice."""
        with self.lock:
            for c in self.conns:
                with contextlib.suppress(OSError):
                    c.send(("stop", None, None))
            deadline = time.monotonic() + 1.0  # then SIGKILL: a stopped or hung rank never answers
            for p in self.procs:
                try:
                    p.wait(max(0.05, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    p.kill()
            for p in self.procs:
                with contextlib.suppress(subprocess.TimeoutExpired):  # SIGKILL does not fail on Linux
                    p.wait(5)
            for c in self.conns:
                c.close()
            if self.procs:
                _STOPS[self.world_size] = _STOPS.get(self.world_size, 0) + 1
                _TOUCHED[0] = time.monotonic()
            self.procs, self.conns = [], []
            if self._dir:
                shutil.rmtree(self._dir, ignore_errors=True)
                self._dir = None
            _LIVE.discard(self)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self, listener: Listener) -> list[Connection]:
        """One connection per rank, in rank order; a rank that exits or stays away past the timeout raises."""
        got: queue.Queue[Connection] = queue.Queue()

        def accept_all() -> None:
            try:
                for _ in range(self.world_size):
                    got.put(listener.accept())
            except OSError:  # the listener was closed: we gave up waiting
                pass

        threading.Thread(target=accept_all, daemon=True, name="ddp-accept").start()
        by_rank: dict[int, Connection] = {}
        deadline = time.monotonic() + self.timeout_s
        while len(by_rank) < self.world_size:
            self._check_alive("init_process_group")
            if time.monotonic() > deadline:
                missing = min(set(range(self.world_size)) - set(by_rank))
                raise ClusterError("ddp.rank_silent", rank=missing, seconds=round(self.timeout_s),
                                   task="init_process_group")
            try:
                conn = got.get(timeout=0.1)
            except queue.Empty:
                continue
            if conn.poll(self.timeout_s):
                by_rank[conn.recv()] = conn
        return [by_rank[r] for r in range(self.world_size)]

    # -- work ----------------------------------------------------------------------------------------------
    def run(self, work: Task[Any, Out], progress: Callable[[int, int], None] | None = None, **kwargs: Any) -> Out:
        """Run `work` on every rank with `kwargs` (plain values) and combine their results. `progress(done,
        total)` follows rank 0's ticks; an exception it raises (a cancel) stops the cluster, which restarts on
        the next run. Restarts a stopped cluster first."""
        if work.check:
            work.check(world=self.world_size, **kwargs)
        with self.lock:
            if not self.alive:
                self.start()
            self.last_used = time.monotonic()
            for c in self.conns:
                c.send(("task", work.name, kwargs))
            name = work.name.partition(":")[2]
            try:
                results = self._gather(name, progress)
            except BaseException:
                self.close()
                raise
            finally:
                self.last_used = time.monotonic()
            return work.combine(results, **kwargs)

    def _gather(self, task: str, progress: Callable[[int, int], None] | None, count_ready: bool = False) -> list[Any]:
        """Every rank's next result, in rank order, passing rank 0's ticks to `progress` (or, with `count_ready`,
        how many ranks have answered). Raises ClusterError
        as soon as a rank fails or exits, or when no rank has said anything for the timeout (a hang: the
        others then wait for it inside a collective)."""
        results: dict[int, Any] = {}
        rank_of = {id(c): r for r, c in enumerate(self.conns)}
        last = time.monotonic()
        while len(results) < self.world_size:
            pending = [c for r, c in enumerate(self.conns) if r not in results]
            for conn in wait(pending, timeout=0.1):
                rank = rank_of[id(conn)]
                try:
                    kind, a, b = conn.recv()
                except (EOFError, OSError):
                    continue  # it exited: _check_alive says so below
                last = time.monotonic()
                if kind == "tick":
                    if progress and rank == 0:
                        progress(a, b)
                elif kind == "ok":
                    results[rank] = a
                    if progress and count_ready:
                        progress(len(results), self.world_size)
                else:
                    raise ClusterError("ddp.rank_failed", rank=rank, task=task, error=a)
            self._check_alive(task)
            if time.monotonic() - last > self.timeout_s:
                raise ClusterError("ddp.rank_silent", rank=min(set(range(self.world_size)) - set(results)),
                                   seconds=round(self.timeout_s), task=task)
        return [results[r] for r in range(self.world_size)]

    def _check_alive(self, task: str) -> None:
        """Raise ClusterError naming the first rank that has exited."""
        for r, p in enumerate(self.procs):
            if p.poll() is not None:
                raise ClusterError("ddp.rank_exited", rank=r, status=p.returncode, task=task)


_LIVE: set[Cluster] = set()
_STOPS: dict[int, int] = {}  # world size -> how many clusters of that size were stopped in this process
_TOUCHED = [time.monotonic()]  # when a cluster of this process last began to start, or stopped
_WARM: dict[int, Cluster] = {}
_WARM_LOCK = threading.Lock()
IDLE_S = 180.0  # a shared cluster unused this long is stopped: 2-4 ranks hold 200-500 MB each
_REAPER: list[threading.Thread] = []


def warm_cluster(world_size: int, progress: Callable[[int, int], None] | None = None) -> Cluster:
    """The process-wide cluster of `world_size` ranks, started on first use (progress(joined, N)) and
    restarted when one of its ranks died; every caller shares it, one task at a time. At most one world size
    is kept warm (asking for another stops the old one once its task ends), and a cluster idle for `IDLE_S`
    seconds is stopped."""
    with _WARM_LOCK:
        others = [c for n, c in _WARM.items() if n != world_size]
        for n in [n for n in _WARM if n != world_size]:
            del _WARM[n]
        cl = _WARM.get(world_size)
        if cl is None:
            cl = _WARM[world_size] = Cluster(world_size, start=False)
        if not _REAPER:
            _REAPER.append(threading.Thread(target=_reap_idle, name="ddp-idle", daemon=True))
            _REAPER[0].start()
    for old in others:
        old.close()  # waits for a task it is running (close takes the cluster's lock)
    with cl.lock:
        cl.last_used = time.monotonic()
        if not cl.alive:
            cl.start(progress)
    return cl


def stop_idle(idle_s: float = IDLE_S) -> list[int]:
    """Stop every shared cluster unused for `idle_s` seconds (not one running a task); the world sizes stopped."""
    stopped = []
    with _WARM_LOCK:
        warm = list(_WARM.items())
    for n, cl in warm:
        if cl.alive and time.monotonic() - cl.last_used > idle_s and cl.lock.acquire(blocking=False):
            try:
                cl.close()
                stopped.append(n)
            finally:
                cl.lock.release()
    # no cluster for as long (a start counts from its beginning, before it is live): the zygote's memory goes too
    if not _LIVE and time.monotonic() - _TOUCHED[0] > idle_s:
        zygote.stop()
    return stopped


def _reap_idle() -> None:
    while True:
        time.sleep(min(30.0, IDLE_S / 4))
        stop_idle()


def stops(world_size: int) -> int:
    """How many clusters of `world_size` ranks this process has stopped (idle, failed or closed): a page keys its
    start job by it, so that a start after a stop is a new job rather than the old one's cached result."""
    return _STOPS.get(world_size, 0)


def is_warm(world_size: int) -> bool:
    """Whether the shared cluster of `world_size` ranks is up (a page can then skip the start's progress)."""
    cl = _WARM.get(world_size)
    return cl is not None and cl.alive


@atexit.register
def _close_all() -> None:
    for cl in list(_LIVE):
        cl.close()
    zygote.stop()
