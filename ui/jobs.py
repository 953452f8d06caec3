"""Long work off the page's thread: a sweep, a training run or a comparison runs in a background thread
while the page stays live, shows its progress with an estimate computed from the pace measured so far (or,
before the first item ends, from a recorded run on this machine kind), can be cancelled, and leaves its
result in the shared cache for every visitor.

The work is a function of one argument, `tick(done, what="")`, which it calls after each item with the
units done so far (items, steps, FLOPs: whatever `total` counts). The tick raises `Cancelled` once the
visitor cancels or the job passes its time limit, so engines need no knowledge of jobs: any engine that
reports progress can be stopped between two items. At most `MAX_RUNNING` jobs run at once on the server
(every visitor shares its cores); a visitor asking for more is told to wait, and no job runs past
`LIMIT_S` seconds.
"""

from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

import streamlit as st

from ui.cache import cached_result, plain_key, store_result
from ui.i18n import say, translator
from ui.text.app import TEXT

R = TypeVar("R")
T = translator(TEXT)
MAX_RUNNING = 2  # the CI and demo machines have 2 cores
LIMIT_S = 900.0
WAIT_S = 1.5  # work that ends this soon is shown in the same run, without a progress fragment
POLL_S = 0.5
Tick = Callable[..., None]


class Cancelled(Exception):
    """Raised inside a job's work by its tick once the job was cancelled or ran past its time limit."""


@dataclass
class Job:
    """One piece of long work: its progress in units of `total`, its state and, at the end, its outcome."""

    key: Hashable
    total: float
    unit_s: float | None = None  # seconds per unit from a recorded run, for the estimate before any item ends
    limit_s: float = LIMIT_S
    done: float = 0.0
    what: str = ""
    state: str = "running"  # running, done, cancelled, timed_out, failed
    error: object = None
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None
    cancel_event: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

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
        """Seconds since the job started (until it ended)."""
        return (self.ended or time.monotonic()) - self.started

    @property
    def fraction(self) -> float:
        """Share of the work done, 0..1."""
        return self.done / self.total if self.total > 0 else 0.0

    def pace_s(self) -> tuple[float | None, str]:
        """Seconds per unit and where that figure comes from: this run so far ("measured"), else the recorded
        run ("recorded"), else unknown (None, "")."""
        if self.done > 0:
            return self.elapsed_s / self.done, "measured"
        if self.unit_s:
            return self.unit_s, "recorded"
        return None, ""

    def eta_s(self) -> float | None:
        """Seconds still to go at the current pace, or None when no pace is known yet."""
        pace, _ = self.pace_s()
        return None if pace is None else pace * (self.total - self.done)

    def cancel(self) -> None:
        """Ask the work to stop at its next tick."""
        self.cancel_event.set()


class _Registry:
    def __init__(self) -> None:
        self.jobs: dict[Hashable, Job] = {}
        self.started: list[Job] = []  # every job ever started, forgotten or not, so exit can stop them all
        self.lock = threading.Lock()

    def running(self) -> int:
        return sum(j.state == "running" for j in self.jobs.values())


@st.cache_resource(show_spinner=False)
def _registry() -> _Registry:
    return _Registry()


def _run(job: Job, work: Callable[[Tick], R], delay_s: float = 0.0) -> None:
    try:
        if delay_s and job.cancel_event.wait(delay_s):  # cancelled before it began
            raise Cancelled("cancelled")
        result = work(job.tick)
        store_result(job.key, result)
        job.state = "done"
    except Cancelled:
        if job.state == "running":
            job.state = "cancelled"
    except Exception as err:
        job.error, job.state = err, "failed"
    finally:
        job.ended = time.monotonic()


def running() -> list[Job]:
    """The jobs running now on this server."""
    reg = _registry()
    with reg.lock:
        return [j for j in reg.jobs.values() if j.state == "running"]


def wait_all(timeout_s: float = LIMIT_S, cancel: bool = False) -> None:
    """Wait for every running job to end, forgotten ones included (cancelling them first if `cancel`)."""
    reg = _registry()
    with reg.lock:
        jobs = [j for j in reg.started if j.state == "running"]
    deadline = time.monotonic() + timeout_s
    for job in jobs if cancel else ():
        job.cancel()
    for job in jobs:
        if job.thread is not None:
            job.thread.join(max(0.0, deadline - time.monotonic()))


def reset(wait_s: float = 0.0) -> None:
    """Cancel every running job (waiting up to `wait_s` for them to stop) and forget every job, so the next
    visitor (or test) starts from a clean server; a cancelled job stops at its next tick and keeps nothing."""
    wait_all(timeout_s=wait_s, cancel=True)
    reg = _registry()
    with reg.lock:
        reg.jobs.clear()


@atexit.register
def _stop_at_exit() -> None:
    # a job still computing when the server stops would be torn down inside torch and abort the process
    wait_all(timeout_s=30.0, cancel=True)


def get(key: Hashable) -> Job | None:
    """The job for `key` (running or ended), if one was started on this server."""
    with _registry().lock:
        return _registry().jobs.get(plain_key(key))


def start(key: Hashable, work: Callable[[Tick], R], total: float, unit_s: float | None = None,
          limit_s: float = LIMIT_S, delay_s: float = 0.0) -> Job | None:
    """Start `work` in a background thread after `delay_s` (or return the job already running for `key`);
    None when `MAX_RUNNING` jobs are already running on this server."""
    reg, pk = _registry(), plain_key(key)
    with reg.lock:
        old = reg.jobs.get(pk)
        if old is not None and old.state == "running":
            return old
        if reg.running() >= MAX_RUNNING:
            return None
        job = Job(pk, float(total), unit_s, limit_s)
        job.thread = threading.Thread(target=_run, args=(job, work, delay_s), name=f"glassbox-job-{len(reg.jobs)}",
                                      daemon=True)
        reg.jobs[pk] = job
        reg.started = [j for j in reg.started if j.state == "running"] + [job]
        job.thread.start()
    return job


def estimate_text(seconds: float | None) -> str:
    """A duration for a person: '≈ 40 s', '≈ 3.5 min'."""
    if seconds is None:
        return "?"
    return T("job.seconds", s=f"{seconds:,.0f}") if seconds < 120 else T("job.minutes", m=f"{seconds / 60:,.1f}")


def estimate_caption(seconds: float | None) -> None:
    """Say, before a visitor starts long work, how long it will take here (from a recorded pace)."""
    if seconds:
        st.caption(T("job.estimate", eta=estimate_text(seconds)))


def not_yet() -> None:
    """Say that nothing recorded matches these settings and that the button measures in the background."""
    st.info(T("job.not_yet"))


def recorded_caption(rec: object) -> None:
    """Say where and when a shipped result (engine.recorded.Recorded) was measured."""
    m = rec.machine
    where = T("job.machine", cpu=m["cpu"], cores=m["cores"], torch=m["torch"])
    if m.get("gpu"):
        where += f" · {m['gpu']}"
    st.caption(T("job.recorded", command=rec.command, machine=where, date=rec.date, seconds=f"{rec.seconds:,.0f}"))


def _supersede(slot: str, key: Hashable) -> None:
    """Cancel the auto job this session last started in `slot` when it asks for another key there: a timing
    of settings the visitor has just left would only take the cores from the one they now look at."""
    mine = st.session_state.setdefault("_glassbox_auto_jobs", {})
    old = mine.get(slot)
    if old is not None and old != plain_key(key):
        job = get(old)
        if job is not None and job.state == "running":
            job.cancel()
            with _registry().lock:
                _registry().jobs.pop(old, None)  # forgotten: whoever asks for it again starts it afresh
    mine[slot] = plain_key(key)


def background(key: Hashable, work: Callable[[Tick], R], total: float, *, start_now: bool = False,
               auto: bool = False, unit_s: float | None = None, wait_s: float = WAIT_S,
               delay_s: float = 0.0, slot: str | None = None) -> R | None:
    """The shared result for `key` when there is one. Otherwise, when `start_now` (a button was pressed), or
    `auto` and no job for `key` was started yet, or one is already running: run `work` in the background, wait
    up to `wait_s` for it, then draw its progress bar, estimate and cancel button in a fragment that refreshes
    itself while the rest of the page stays live, and return None. An ended job that left no result
    (cancelled, timed out, failed) says so, with a button to run it again. `delay_s` holds secondary work
    back so that the page this run draws gets the cores first; an auto job in a named `slot` is cancelled when
    this session moves on to other settings in the same slot."""
    if auto and slot is not None:
        _supersede(slot, key)
    found, value = cached_result(key)
    if found:
        return value  # type: ignore[return-value]
    job = get(key)
    if (start_now or (auto and job is None)) and (job is None or job.state != "running"):
        job = start(key, work, total, unit_s, delay_s=delay_s)
        if job is None:
            st.warning(T("job.busy", n=MAX_RUNNING))
            return None
        if job.thread is not None:
            job.thread.join(wait_s)
        found, value = cached_result(key)
        if found:
            return value  # type: ignore[return-value]
    if job is None:
        return None
    if job.state == "running":
        st.fragment(run_every=POLL_S)(_progress)(key)
        return None
    if job.state == "failed":
        err = job.error
        st.warning(T("job.failed", msg=say(err) if hasattr(err, "code") else type(err).__name__))
    elif job.state in ("cancelled", "timed_out"):
        st.info(T(f"job.{job.state}", s=f"{job.elapsed_s:,.0f}", pct=f"{job.fraction:.0%}"))
    if auto and st.button(T("job.again"), key=f"again_{abs(hash(job.key))}"):
        start(key, work, total, unit_s)
        st.rerun()
    return None


def live_or_recorded(key: Hashable, work: Callable[[Tick], R], total: float, *, start_now: bool, rec: object,
                     unit_s: float | None = None, from_rows: Callable[[list], R] | None = None) -> R | None:
    """A measured section's usual shape: the live result for `key` (run in the background once asked for, see
    `background`), else the shipped recording `rec` (an engine.recorded.Recorded already matched to these
    settings, or None) with its caption, its rows read by `from_rows`, else a note that the button measures."""
    live = background(key, work, total, start_now=start_now, unit_s=unit_s)
    if live is not None:
        return live
    if rec is not None:
        recorded_caption(rec)
        return from_rows(rec.rows) if from_rows else rec.rows
    not_yet()
    return None


def _progress(key: Hashable) -> None:
    job = get(key)
    if job is None or job.state != "running":
        st.rerun()  # the job ended: draw the page again, with its result from the cache
        return
    _, source = job.pace_s()
    text = T("job.progress", pct=f"{job.fraction:.0%}", elapsed=f"{job.elapsed_s:,.0f}",
             eta=estimate_text(job.eta_s()), what=job.what)
    if source:
        text += " · " + T(f"job.source.{source}")
    st.progress(job.fraction, text=text)
    st.button(T("job.cancel"), key=f"cancel_{abs(hash(job.key))}", on_click=job.cancel)
