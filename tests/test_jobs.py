"""ui.jobs: background work that reports progress, estimates from its measured pace, cancels and is bounded."""

from __future__ import annotations

import os
import tempfile
import time

import pytest

from ui import jobs
from ui.cache import cached_result
from ui.server import scheduler


class Gate:
    """threading.Event's set/wait through a file: jobs run in forked children, which would wait on a copy of an
    Event that the test's set() never reaches."""

    def __init__(self) -> None:
        fd, path = tempfile.mkstemp(prefix="glassbox-gate-")
        os.close(fd)
        os.unlink(path)
        self.path = path

    def set(self) -> None:
        open(self.path, "w").close()

    def wait(self, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while not os.path.exists(self.path):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True


def _work(n: int, gate: Gate | None = None, seconds: float = 0.01):
    def work(tick):
        for i in range(n):
            if gate is not None:
                gate.wait(5)
            time.sleep(seconds)
            tick(i + 1, f"item {i + 1}")
        return n * 10

    return work


def test_result_is_shared_and_estimate_comes_from_measured_pace() -> None:
    key = ("jobs-test", "pace", time.time())
    job = jobs.start(key, _work(5, seconds=0.05), total=5, unit_s=100.0)
    assert job.pace_s()[1] == "recorded" and job.eta_s() == pytest.approx(500.0)  # before the first item ends
    while job.done < 2:
        time.sleep(0.01)
    pace, source = job.pace_s()
    assert source == "measured" and 0.02 < pace < 1.0  # ~0.05 s per item, not the recorded 100 s
    job.wait(5)
    assert job.state == "done" and cached_result(key) == (True, 50)


def test_cancel_stops_at_the_next_tick_and_keeps_nothing() -> None:
    key, gate = ("jobs-test", "cancel", time.time()), Gate()
    job = jobs.start(key, _work(100, gate), total=100)
    gate.set()
    time.sleep(0.05)
    job.cancel()
    job.wait(5)
    assert job.state == "cancelled" and job.done < 100
    assert cached_result(key) == (False, None)


def test_time_limit_and_a_failure_end_the_job_with_a_state() -> None:
    slow = jobs.start(("jobs-test", "limit", time.time()), _work(100, seconds=0.02), total=100, limit_s=0.1)
    boom = jobs.start(("jobs-test", "boom", time.time()), lambda tick: 1 / 0, total=1)
    slow.wait(5)
    boom.wait(5)
    assert slow.state == "timed_out" and slow.done < 100
    # in a forked child (the default where fork exists) the error's kind travels back; in a thread, the error itself
    kind = boom.error.params["kind"] if scheduler().processes else type(boom.error).__name__
    assert boom.state == "failed" and kind == "ZeroDivisionError"


def test_at_most_max_running_jobs_and_one_per_key() -> None:
    gate = Gate()
    keys = [("jobs-test", "busy", i, time.time()) for i in range(jobs.MAX_RUNNING + 1)]
    started = [jobs.start(k, _work(1, gate), total=1) for k in keys[:-1]]
    assert jobs.start(keys[0], _work(1, gate), total=1) is started[0]  # the same key joins the running job
    extra = jobs.start(keys[-1], _work(1, gate), total=1)
    time.sleep(0.1)
    assert extra.state == "queued"  # the server's slots are taken: it waits its turn
    gate.set()
    jobs.wait_all(5)
    assert all(j.state == "done" for j in [*started, extra])


def test_an_auto_job_is_superseded_when_the_session_moves_on() -> None:
    """A session that leaves settings whose timing is still running cancels it (and forgets it, so a later
    visitor starts it afresh) instead of leaving it to take the cores from the settings now shown."""
    import streamlit as st

    gate = Gate()
    old, new = ("jobs-test", "old", time.time()), ("jobs-test", "new", time.time())
    jobs.background(old, _work(1, gate), 1, auto=True, wait_s=0.0, slot="s")
    first = jobs.get(old)
    jobs.background(new, _work(1, gate), 1, auto=True, wait_s=0.0, slot="s")
    gate.set()
    first.wait(5)
    assert first.state == "cancelled" and jobs.get(old) is None and jobs.get(new) is not None
    st.session_state.pop("_glassbox_auto_jobs", None)


def test_a_failure_is_shown_only_to_the_visitors_who_waited_for_it(monkeypatch) -> None:
    """Finding 6 of #30: after a run failed for one visitor, a later visitor who ran nothing saw its warning."""
    monkeypatch.setattr(jobs, "visitor", lambda: "alice")
    failed = jobs.start(("jobs-test", "fails", time.time()), lambda tick: 1 / 0, total=1)
    done = jobs.start(("jobs-test", "works", time.time()), _work(1), total=1)
    failed.wait(20)
    done.wait(20)
    assert failed.state == "failed" and jobs._visible(failed) is failed  # alice waited: she sees why
    monkeypatch.setattr(jobs, "visitor", lambda: "bob")
    assert jobs._visible(failed) is None  # bob did not: for him it never ran, and he may start it afresh
    assert jobs._visible(done) is done  # a result is shared with everyone


def test_in_run_work_of_every_visitor_shares_the_servers_slots(monkeypatch) -> None:
    """Finding 2 of #30: work computed in a page's own run (shared_result) held no server-wide limit."""
    import threading

    import ui.cache as cache
    from engine.scheduler import Scheduler

    one = Scheduler(slots=1, processes=False)
    monkeypatch.setattr(cache, "scheduler", lambda: one)
    inside, peak, lock = [0], [0], threading.Lock()

    def compute() -> int:
        with lock:
            inside[0] += 1
            peak[0] = max(peak[0], inside[0])
        time.sleep(0.1)
        with lock:
            inside[0] -= 1
        return 1

    stamp = time.time()
    threads = [threading.Thread(target=cache.shared_result, args=(("jobs-test", "slot", stamp, i), compute))
               for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert peak[0] == 1  # three visitors' computations, one slot: one at a time
    one.shutdown(1)


def test_the_ui_asks_streamlit_whether_a_visitor_is_still_connected() -> None:
    """ui.server.connected reads Streamlit's runtime: outside a server it cannot tell (None), and in a server a
    session id the runtime does not hold is not connected."""
    from unittest import mock

    from ui import server

    # no runtime here (as in AppTest between runs): nothing can tell, and the silence rule alone applies, so a test
    # whose visitor stopped running never holds a job as a background tab would
    assert server.connected("no-such-session") is None
    runtime = mock.Mock()
    runtime.is_active_session.side_effect = {"here": True}.__contains__
    with mock.patch.object(server.Runtime, "exists", return_value=True), \
            mock.patch.object(server.Runtime, "instance", return_value=runtime):
        assert server.connected("here") and not server.connected("gone")
