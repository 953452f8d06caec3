"""One server-wide scheduler for heavy work: a fixed number of worker slots, a queue in arrival order with each
job's place and an estimate, lower OS priority for background work, and nothing left running for nobody.

Two kinds of work share the machine:
- background jobs (`Scheduler.submit`): a sweep, a training run. They wait in one queue for one of `slots`
  worker threads, each of which runs its job in a forked child process (engine.forked: its own GIL, so the
  server's event loop is never starved) at a lower OS priority (`nice`), so a visitor's page always wins the
  cores. A job that must share the server's objects (the DDP page's warm gloo world) runs in the worker thread
  itself (`isolate=False`). Each job
  has watchers (the visitors waiting for it, seen through `seen`); a job whose watchers have all moved on
  (not looked at it for `abandon_s` while doing something else: `ran` says when a visitor last did anything) or
  have left (closed their tab: `connected` says so) for `departed_s`, is cancelled by the reaper, unless it was
  submitted with `keep=True`. A connected visitor who has done nothing since last looking still waits: a tab in
  the background stops refreshing its progress (the browser throttles its timers), yet its visitor comes back
  for the result. A job whose estimate
  (recorded pace × its work) exceeds its time limit is refused before it starts.
- work in a page's own run (`Scheduler.foreground`): at most `slots` such computations at once, server-wide,
  at normal priority; the rest wait their turn. Re-entrant per thread, so nested cached computations
  never deadlock.

Pure Python (threads, fork and `os.setpriority`), no Streamlit: `ui.jobs` draws it. A job in a child is killed
within a quarter second of a cancel; one in a thread stops at its next `tick`. Work in a page's own run stays
in the server's process: it must stay short (the page budgets), and it shares the GIL.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

from engine import forked

Tick = Callable[..., None]
LIMIT_S = 900.0
ABANDON_S = 30.0  # a job nobody has looked at for this long is cancelled (the reaper checks every REAP_S)
# a watcher whose connection is gone for this long has left: a reconnect within it (a network blip, a reload that
# comes back to the same session) keeps the work, a closed tab frees the cores within DEPARTED_S + REAP_S
DEPARTED_S = 2.0
REAP_S = 2.0
BACKGROUND_NICE = 10


def default_processes() -> bool:
    """Whether background jobs run in forked children: yes where fork is available, unless
    $GLASSBOX_JOB_PROCESSES is 0 (threads only, e.g. to debug a job in the server)."""
    return os.environ.get("GLASSBOX_JOB_PROCESSES", "1") != "0" and forked.available()


def default_slots() -> int:
    """Worker slots for this server: $GLASSBOX_SLOTS, else 2 (the CI and demo machines have 2 cores)."""
    try:
        return max(1, int(os.environ.get("GLASSBOX_SLOTS", "2")))
    except ValueError:
        return 2


class Cancelled(Exception):
    """Raised inside a job's work by its tick once the job was cancelled or ran past its time limit."""


@dataclass
class Job:
    """One piece of long work: its progress in units of `total`, its state and, at the end, its outcome.

    States: queued, running, done, cancelled, timed_out, failed, refused, abandoned (cancelled by the reaper).
    """

    key: Hashable
    total: float
    unit_s: float | None = None  # seconds per unit from a recorded run, for the estimate before any item ends
    limit_s: float = LIMIT_S
    keep: bool = False  # run on when every watcher has gone: its result is shared and worth keeping
    done: float = 0.0
    what: str = ""
    state: str = "queued"
    error: object = None
    result: object = None
    submitted: float = field(default_factory=time.monotonic)
    started: float | None = None
    ended: float | None = None
    watchers: dict[str, float] = field(default_factory=dict)  # visitor → when last seen (monotonic)
    absent: dict[str, float] = field(default_factory=dict)  # visitor → since when the reaper found them gone
    cancel_event: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)
    work: Callable[[Tick], Any] | None = field(default=None, repr=False)
    on_done: Callable[[Any], None] | None = field(default=None, repr=False)
    delay_s: float = 0.0
    isolate: bool = True  # run in a forked child (engine.forked) when the scheduler uses processes

    def tick(self, done: float, what: str = "") -> None:
        """Record progress; raise Cancelled when the job should stop."""
        self.done, self.what = min(float(done), self.total), what
        if self.cancel_event.is_set():
            raise Cancelled("cancelled")
        if self.elapsed_s > self.limit_s:
            self.state = "timed_out"
            raise Cancelled("timed_out")

    @property
    def elapsed_s(self) -> float:
        """Seconds since the job started running (until it ended); 0 while it waits in the queue."""
        if self.started is None:
            return 0.0
        return (self.ended or time.monotonic()) - self.started

    @property
    def fraction(self) -> float:
        """Share of the work done, 0..1."""
        return self.done / self.total if self.total > 0 else 0.0

    @property
    def active(self) -> bool:
        """Queued or running: not ended yet."""
        return self.state in ("queued", "running")

    def estimate_s(self) -> float | None:
        """The whole job's expected seconds from the recorded pace, before it runs (None when unknown)."""
        return None if not self.unit_s else self.unit_s * self.total

    def pace_s(self) -> tuple[float | None, str]:
        """Seconds per unit and where that figure comes from: this run so far ("measured"), else the recorded
        run ("recorded"), else unknown (None, "")."""
        if self.done > 0 and self.started is not None:
            return self.elapsed_s / self.done, "measured"
        if self.unit_s:
            return self.unit_s, "recorded"
        return None, ""

    def eta_s(self) -> float | None:
        """Seconds still to go at the current pace, or None when no pace is known yet."""
        pace, _ = self.pace_s()
        return None if pace is None else pace * (self.total - self.done)

    def cancel(self) -> None:
        """Ask the work to stop at its next tick (a queued job never starts)."""
        self.cancel_event.set()

    def seen(self, watcher: str) -> None:
        """`watcher` (a visitor's session) is still waiting for this job."""
        self.watchers[watcher] = time.monotonic()

    def last_seen(self) -> float:
        """When any watcher last looked (the submission time when none ever did)."""
        return max(self.watchers.values(), default=self.submitted)

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the job ends (or `timeout_s` passes); True when it ended."""
        return self.finished.wait(timeout_s)


class Scheduler:
    """A fixed pool of `slots` low-priority worker threads fed by one queue, a gate for in-run work, and a reaper
    that cancels work nobody waits for."""

    def __init__(self, slots: int | None = None, nice: int = BACKGROUND_NICE, abandon_s: float = ABANDON_S,
                 reap_s: float = REAP_S, processes: bool | None = None,
                 connected: Callable[[str], bool | None] | None = None, departed_s: float = DEPARTED_S) -> None:
        self.slots = slots or default_slots()
        self.processes = default_processes() if processes is None else processes and forked.available()
        self.nice, self.abandon_s, self.reap_s = nice, abandon_s, reap_s
        # whether a watcher (a visitor's session) is still connected, None where nothing can tell; the UI layer
        # knows, the engine does not
        self.connected, self.departed_s = connected, departed_s
        self._ran: dict[str, float] = {}  # watcher -> when it last ran anything (a page run): see `ran`
        self.jobs: dict[Hashable, Job] = {}
        self.queue: deque[Job] = deque()
        self.lock = threading.Condition()
        self.workers: list[threading.Thread] = []
        self.closed = False
        self._gate = threading.BoundedSemaphore(self.slots)
        self._gate_waiting = 0
        self._local = threading.local()
        self._reaper: threading.Thread | None = None

    # background jobs ---------------------------------------------------------------------------------------
    def submit(self, key: Hashable, work: Callable[[Tick], Any], total: float, *, unit_s: float | None = None,
               limit_s: float = LIMIT_S, keep: bool = False, watcher: str | None = None, delay_s: float = 0.0,
               on_done: Callable[[Any], None] | None = None, isolate: bool = True) -> Job:
        """Queue `work` for `key` (or return the job already queued or running for it). A job whose recorded
        estimate exceeds `limit_s` comes back in state "refused" and never runs."""
        with self.lock:
            old = self.jobs.get(key)
            if old is not None and old.active:
                if watcher:
                    old.seen(watcher)
                return old
            job = Job(key, float(total), unit_s, limit_s, keep, work=work, on_done=on_done, delay_s=delay_s,
                      isolate=isolate)
            if watcher:
                job.seen(watcher)
            self.jobs[key] = job
            estimate = job.estimate_s()
            if estimate is not None and estimate > limit_s:
                job.state, job.ended = "refused", time.monotonic()
                job.finished.set()
                return job
            self.queue.append(job)
            self._ensure_threads()
            self.lock.notify()
        return job

    def get(self, key: Hashable) -> Job | None:
        """The job for `key` (queued, running or ended), if one was submitted."""
        with self.lock:
            return self.jobs.get(key)

    def forget(self, key: Hashable) -> None:
        """Cancel the job for `key` if active and drop it, so the next request starts afresh."""
        with self.lock:
            job = self.jobs.pop(key, None)
        if job is not None:
            job.cancel()

    def active(self) -> list[Job]:
        """Queued and running jobs, running first, then in queue order."""
        with self.lock:
            running = [j for j in self.jobs.values() if j.state == "running"]
            return running + [j for j in self.queue if j.state == "queued"]

    def place(self, job: Job) -> tuple[int, float | None]:
        """A queued job's place (1 = next to start) and the seconds until a slot frees for it, estimated from the
        remaining time of the running jobs and of those ahead in the queue (None when some pace is unknown)."""
        with self.lock:
            if job.state != "queued":
                return 0, 0.0
            ahead = [j for j in self.queue if j.state == "queued"]
            ahead = ahead[: ahead.index(job)] if job in ahead else ahead
            running = [j for j in self.jobs.values() if j.state == "running"]
        remaining = [j.eta_s() for j in running] + [j.estimate_s() for j in ahead]
        if any(r is None for r in remaining):
            return len(ahead) + 1, None
        # each slot works through its share: the wait is the total remaining work spread over the slots
        return len(ahead) + 1, sum(remaining) / self.slots  # type: ignore[arg-type]

    def _ensure_threads(self) -> None:
        while len(self.workers) < self.slots:
            t = threading.Thread(target=self._worker, name=f"glassbox-slot-{len(self.workers)}", daemon=True)
            self.workers.append(t)
            t.start()
        if self._reaper is None:
            self._reaper = threading.Thread(target=self._reap_loop, name="glassbox-reaper", daemon=True)
            self._reaper.start()

    def _worker(self) -> None:
        # a lower priority for this thread (Linux threads are tasks: threads it creates, such as torch's OpenMP
        # team, inherit it), so the visitors' own page runs always get the cores first
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), self.nice)
        self._local.depth = 1  # a worker already holds a slot: in-run helpers it calls need no second one
        while True:
            with self.lock:
                while not self.queue and not self.closed:
                    self.lock.wait()
                if self.closed and not self.queue:
                    return
                job = self.queue.popleft()
                if job.cancel_event.is_set():
                    self._end(job, "cancelled" if job.state == "queued" else job.state)
                    continue
                job.state, job.started = "running", time.monotonic()
            self._run(job)

    def _run(self, job: Job) -> None:
        state = "done"
        try:
            if job.delay_s and job.cancel_event.wait(job.delay_s):
                raise Cancelled("cancelled")
            job.result = self.isolated(job.work, job.tick) if job.isolate else job.work(job.tick)  # type: ignore[arg-type,misc]
            if job.on_done is not None:
                job.on_done(job.result)
        except Cancelled:
            state = job.state if job.state in ("timed_out", "abandoned") else "cancelled"
        except Exception as err:
            job.error, state = err, "failed"
        self._end(job, state)

    def isolated(self, work: Callable[[Tick], Any], tick: Tick) -> Any:
        """`work(tick)` in a forked child at this scheduler's `nice` where it runs work in processes, else here."""
        if self.processes:
            return forked.run_forked(work, tick, self.nice)
        return work(tick)

    def _end(self, job: Job, state: str) -> None:
        job.state, job.ended, job.work = state, time.monotonic(), None  # drop the closure: it may hold a model
        job.finished.set()

    def ran(self, watcher: str, now: float | None = None) -> None:
        """`watcher` (a visitor's session) did something just now: a run of a page, whatever it drew."""
        self._ran[watcher] = time.monotonic() if now is None else now

    def _holds(self, job: Job, watcher: str, seen: float, now: float) -> bool:
        """Whether `watcher` still keeps `job` alive: not gone for `departed_s`, and either seen within `abandon_s`
        or, connected, idle since it last looked (a background tab: its progress stops refreshing, its visitor has
        not moved on). Without `connected` (no server) the silence rule alone decides."""
        here = None if self.connected is None else self.connected(watcher)
        if here is None:  # nothing can tell (no server)
            return now - seen <= self.abandon_s
        if not here:
            return now - job.absent.setdefault(watcher, now) < self.departed_s
        job.absent.pop(watcher, None)
        return now - seen <= self.abandon_s or self._ran.get(watcher, 0.0) <= seen

    def reap(self, now: float | None = None) -> list[Job]:
        """Cancel every active job, not kept, that no watcher holds any more (`_holds`: each has moved on, left for
        `departed_s`, or, where nothing can tell, been silent for `abandon_s`; a job never watched counts from its
        submission); return them."""
        now = time.monotonic() if now is None else now
        gone = []
        with self.lock:
            for job in list(self.jobs.values()):
                if not job.active or job.keep:
                    continue
                if job.watchers:
                    held = [self._holds(job, w, t, now) for w, t in list(job.watchers.items())]  # all: marks absences
                    if not any(held):
                        gone.append(job)
                elif now - job.last_seen() > self.abandon_s:  # never watched: the silence since its submission
                    gone.append(job)
        if self.connected is not None:  # forget the visitors who left
            for w in list(self._ran):  # a snapshot: page runs add visitors meanwhile
                if self.connected(w) is False:
                    self._ran.pop(w, None)
        for job in gone:
            if job.state == "queued":
                with self.lock:
                    if job in self.queue:
                        self.queue.remove(job)
                self._end(job, "abandoned")
            else:
                job.state = "abandoned"  # the tick raises at the next item; _run keeps this state
                job.cancel()
        return gone

    def _reap_loop(self) -> None:
        while not self.closed:
            time.sleep(self.reap_s)
            self.reap()

    def shutdown(self, timeout_s: float = 30.0) -> None:
        """Cancel everything and wait up to `timeout_s` for the workers to stop."""
        with self.lock:
            self.closed = True
            jobs = list(self.jobs.values())
            self.lock.notify_all()
        for job in jobs:
            job.cancel()
        deadline = time.monotonic() + timeout_s
        for t in self.workers:
            t.join(max(0.0, deadline - time.monotonic()))

    # in-run work --------------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def foreground(self, on_wait: Callable[[int], None] | None = None) -> Iterator[None]:
        """Hold one of the server's `slots` for work done in a page's own run; `on_wait(waiting)` is called once
        when the slot is not free at once. Nested use in one thread holds only the outermost slot."""
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield
            finally:
                self._local.depth = depth
            return
        if not self._gate.acquire(blocking=False):
            with self.lock:
                self._gate_waiting += 1
                waiting = self._gate_waiting
            try:
                if on_wait is not None:
                    on_wait(waiting)
                self._gate.acquire()
            finally:
                with self.lock:
                    self._gate_waiting -= 1
        self._local.depth = 1
        try:
            yield
        finally:
            self._local.depth = 0
            self._gate.release()
