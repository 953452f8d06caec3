"""Long work off the page's thread: a sweep, a training run or a comparison runs on one of the server's worker
slots (engine.scheduler) while the page stays live, shows its place in the queue or its progress with an estimate
computed from the pace measured so far (or, before the first item ends, from a recorded run on this machine
kind), can be cancelled, and leaves its result in the shared cache for every visitor.

The work is a function of one argument, `tick(done, what="")`, which it calls after each item with the
units done so far (items, steps, FLOPs: whatever `total` counts). The tick raises `Cancelled` once the
visitor cancels, the job passes its time limit, or every visitor waiting for it has left, so engines need no
knowledge of jobs: any engine that reports progress can be stopped between two items. `MAX_RUNNING` jobs run at
once on the server at a lower OS priority (every visitor shares its cores), the rest wait in one queue, and a
job whose recorded estimate exceeds `LIMIT_S` is refused before it starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

from engine.scheduler import LIMIT_S, Cancelled, Job, Tick
from ui import present
from ui.cache import cached_result, plain_key, store_result
from ui.chrome import guarded_callback, guarded_fragment
from ui.i18n import say, translator
from ui.server import scheduler, visitor
from ui.text.app import TEXT

__all__ = ["LIMIT_S", "MAX_RUNNING", "Cancelled", "Job", "Tick", "background", "get", "live_or_recorded", "note_run",
           "reset", "running", "start", "wait_all"]

R = TypeVar("R")
T = translator(TEXT)
MAX_RUNNING = scheduler().slots  # the CI and demo machines have 2 cores
WAIT_S = 1.5  # work that ends this soon is shown in the same run, without a progress fragment
POLL_S = 2.0  # a running job's progress refresh: each watching visitor costs the server one short rerun per refresh
QUEUED_POLL_S = 4.0  # a queued job changes only when a slot frees


def running() -> list[Job]:
    """The jobs queued or running now on this server."""
    return scheduler().active()


def wait_all(timeout_s: float = LIMIT_S, cancel: bool = False) -> None:
    """Wait for every queued and running job to end (cancelling them first if `cancel`); the caller counts as
    their watcher meanwhile, so the reaper leaves them alone."""
    jobs = scheduler().active()
    deadline = time.monotonic() + timeout_s
    for job in jobs:
        if cancel:
            job.cancel()
    for job in jobs:
        while not job.wait(min(1.0, max(0.0, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                break
            job.seen("wait_all")


def reset(wait_s: float = 0.0) -> None:
    """Cancel every job (waiting up to `wait_s` for them to stop) and forget them all, so the next visitor (or
    test) starts from a clean server; a cancelled job stops at its next tick and keeps nothing."""
    wait_all(timeout_s=wait_s, cancel=True)
    sched = scheduler()
    with sched.lock:
        keys = list(sched.jobs)
    for key in keys:
        sched.forget(key)


def note_run() -> None:
    """Tell the scheduler this visitor is doing something (every page run, before it draws): a job it then no longer
    looks at is one it moved on from, while one it last looked at before going quiet (a tab in the background) is
    still awaited (engine.scheduler.Scheduler.ran)."""
    me = visitor()
    if me is not None:
        scheduler().ran(me)


def get(key: Hashable) -> Job | None:
    """The job for `key` (queued, running or ended), if one was started on this server."""
    return scheduler().get(plain_key(key))


def start(key: Hashable, work: Callable[[Tick], R], total: float, unit_s: float | None = None,
          limit_s: float = LIMIT_S, delay_s: float = 0.0, keep: bool = False, isolate: bool = True) -> Job:
    """Queue `work` for `key` on the server's slots after `delay_s` (or return the job already queued or running
    for `key`); its result lands in the shared cache. The job is "refused" when its estimate exceeds `limit_s`.
    The work runs in a forked child unless `isolate` is False (work that must use the server's own objects,
    such as the DDP page's warm processes)."""
    pk = plain_key(key)
    return scheduler().submit(pk, work, total, unit_s=unit_s, limit_s=limit_s, keep=keep, watcher=visitor(),
                              delay_s=delay_s, on_done=lambda result: store_result(pk, result), isolate=isolate)


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
        if job is not None and job.active:
            scheduler().forget(old)  # forgotten: whoever asks for it again starts it afresh
    mine[slot] = plain_key(key)


def _visible(job: Job | None) -> Job | None:
    """The job as this visitor may see it: an ended job without a result (failed, cancelled, timed out, refused,
    abandoned) is shown only to the visitors who waited for it; to anyone else it is as if never run."""
    if job is None or job.active or job.state == "done":
        return job
    me = visitor()
    return job if me is None or me in job.watchers else None


def background(key: Hashable, work: Callable[[Tick], R], total: float, *, start_now: bool = False,
               auto: bool = False, unit_s: float | None = None, wait_s: float = WAIT_S,
               delay_s: float = 0.0, slot: str | None = None, isolate: bool = True) -> R | None:
    """The shared result for `key` when there is one. Otherwise, when `start_now` (a button was pressed), or
    `auto` and no job for `key` was started yet, or one is already queued or running: queue `work` on the
    server's slots, wait up to `wait_s` for it, then draw its place in the queue or its progress bar, estimate
    and cancel button in a fragment that refreshes itself while the rest of the page stays live, and return
    None. An ended job that left no result (cancelled, timed out, failed, refused) says so to the visitors who
    waited for it, with a button to run it again. `delay_s` holds secondary work back so that the page this run
    draws gets the cores first; an auto job in a named `slot` is cancelled when this session moves on to other
    settings in the same slot."""
    if present.active():  # presenter mode never starts long work by itself: a running job still shows
        auto = False
    if auto and slot is not None:
        _supersede(slot, key)
    found, value = cached_result(key)
    if found:
        return value  # type: ignore[return-value]
    job = _visible(get(key))
    if (start_now or (auto and job is None)) and (job is None or not job.active):
        job = start(key, work, total, unit_s, delay_s=delay_s, isolate=isolate)
        job.wait(wait_s)
        found, value = cached_result(key)
        if found:
            return value  # type: ignore[return-value]
    if job is None:
        return None
    me = visitor()
    if job.active:
        if me is not None:
            job.seen(me)
        st.fragment(run_every=QUEUED_POLL_S if job.state == "queued" else POLL_S)(_progress_guarded)(key)
        return None
    if job.state == "failed":
        err = job.error
        st.warning(T("job.failed", msg=say(err) if hasattr(err, "code") else type(err).__name__))
    elif job.state == "refused":
        st.warning(T("job.refused", eta=estimate_text(job.estimate_s()), limit=estimate_text(job.limit_s)))
        return None
    elif job.state in ("cancelled", "timed_out", "abandoned"):
        st.info(T(f"job.{job.state}", s=f"{job.elapsed_s:,.0f}", pct=f"{job.fraction:.0%}"))
    if auto and st.button(T("job.again"), key=f"again_{abs(hash(job.key))}"):
        start(key, work, total, unit_s, isolate=isolate)
        st.rerun()
    return None


def live_or_recorded(key: Hashable, work: Callable[[Tick], R], total: float, *, start_now: bool, rec: object,
                     unit_s: float | None = None, from_rows: Callable[[list], R] | None = None,
                     isolate: bool = True) -> R | None:
    """A measured section's usual shape: the live result for `key` (run in the background once asked for, see
    `background`), else the shipped recording `rec` (an engine.recorded.Recorded already matched to these
    settings, or None) with its caption, its rows read by `from_rows`, else a note that the button measures."""
    live = background(key, work, total, start_now=start_now, unit_s=unit_s, isolate=isolate)
    if live is not None:
        return live
    if rec is not None:
        recorded_caption(rec)
        return from_rows(rec.rows) if from_rows else rec.rows
    not_yet()
    return None


def _progress(key: Hashable) -> None:
    job = get(key)
    if job is None or not job.active:
        st.rerun()  # the job ended: draw the page again, with its result from the cache
        return
    me = visitor()
    if me is not None:
        job.seen(me)  # this visitor still waits: the reaper leaves the job alone
    if job.state == "queued":
        place, wait = scheduler().place(job)
        st.progress(0.0, text=T("job.queued", place=place, slots=MAX_RUNNING, eta=estimate_text(wait)))
    else:
        _, source = job.pace_s()
        parts = [T("job.progress", pct=f"{job.fraction:.0%}", elapsed=f"{job.elapsed_s:,.0f}",
                   eta=estimate_text(job.eta_s())), job.what, source and T(f"job.source.{source}")]
        st.progress(job.fraction, text=" · ".join(p for p in parts if p))
    st.button(T("job.cancel"), key=f"cancel_{abs(hash(job.key))}", on_click=guarded_callback(job.cancel))



_progress_guarded = guarded_fragment(_progress)  # one function object: the fragment's identity stays stable
