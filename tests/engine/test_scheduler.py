"""engine.scheduler: slots, the queue's order and estimates, refusal, lower priority, the reaper, the gate."""

from __future__ import annotations

import os
import threading
import time

import pytest
import torch  # noqa: F401  (loaded once here, as in the server: a forked job then starts in milliseconds)

from engine.scheduler import Scheduler


def _work(gate: threading.Event | None = None, n: int = 1, seconds: float = 0.0, seen: list | None = None):
    def work(tick):
        if seen is not None:
            seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        for i in range(n):
            if gate is not None:
                gate.wait(5)
            time.sleep(seconds)
            tick(i + 1)
        return n

    return work


@pytest.fixture
def sched():
    # threads: these tests steer the work with events, which a forked child would only see a copy of
    s = Scheduler(slots=2, abandon_s=0.3, reap_s=3600, processes=False)  # the test calls reap() itself
    yield s
    s.shutdown(5)


def test_two_slots_then_a_queue_in_arrival_order_with_places_and_estimates(sched) -> None:
    gate = threading.Event()
    running = [sched.submit(("r", i), _work(gate), 1, unit_s=10.0) for i in range(2)]
    queued = [sched.submit(("q", i), _work(gate), 1, unit_s=4.0) for i in range(3)]
    time.sleep(0.2)
    assert [j.state for j in running] == ["running"] * 2 and [j.state for j in queued] == ["queued"] * 3
    # place 3 waits for the two running jobs (10 s each, recorded pace) and the two ahead (4 s each), on 2 slots
    assert sched.place(queued[2]) == (3, pytest.approx((10 + 10 + 4 + 4) / 2))
    assert sched.place(queued[0])[0] == 1
    assert sched.submit(("q", 1), _work(gate), 1) is queued[1]  # one job per key
    gate.set()
    for j in running + queued:
        assert j.wait(5)
    assert all(j.state == "done" and j.result == 1 for j in running + queued)


def test_background_work_runs_at_a_lower_os_priority(sched) -> None:
    seen: list[int] = []
    job = sched.submit("nice", _work(seen=seen), 1)
    assert job.wait(5) and job.state == "done"
    assert seen[0] >= os.getpriority(os.PRIO_PROCESS, 0) + 1  # niced below the server's own threads


def test_a_job_whose_estimate_exceeds_its_limit_is_refused_before_it_starts(sched) -> None:
    ran = []
    job = sched.submit("big", lambda tick: ran.append(1), total=100, unit_s=20.0, limit_s=900.0)  # 2,000 s
    assert job.state == "refused" and job.estimate_s() == 2000.0
    time.sleep(0.1)
    assert not ran
    ok = sched.submit("small", lambda tick: ran.append(1), total=10, unit_s=20.0, limit_s=900.0)  # 200 s: runs
    assert ok.wait(5) and ok.state == "done" and ran == [1]


def test_work_nobody_waits_for_is_cancelled_and_watched_work_is_not(sched) -> None:
    gate = threading.Event()
    lost = sched.submit("lost", _work(gate, n=1000, seconds=0.001), 1000, watcher="a")
    kept = sched.submit("kept", _work(gate, n=1000, seconds=0.001), 1000, watcher="b", keep=True)
    queued = sched.submit("queued", _work(gate), 1, watcher="c")
    watched = sched.submit("watched", _work(gate), 1, watcher="d")
    gate.set()
    time.sleep(0.4)
    watched.seen("d")
    gone = sched.reap()
    assert lost in gone and queued in gone and kept not in gone and watched not in gone
    assert lost.wait(5) and lost.state == "abandoned" and lost.done < 1000
    assert queued.wait(1) and queued.state == "abandoned"
    kept.cancel()
    assert kept.wait(5)


def test_work_whose_watchers_closed_their_tabs_stops_after_departed_s_not_after_the_silence() -> None:
    """A visitor whose connection is gone has left: their job is cancelled once they have been gone for
    `departed_s`, long before the silence rule's `abandon_s`; a reconnect within it keeps the job, and one
    watcher still connected keeps a shared job running."""
    online = {"a": True, "b": True, "c": True}
    s = Scheduler(slots=2, abandon_s=3600, reap_s=3600, processes=False, connected=online.__getitem__,
                  departed_s=1.0)
    try:  # each job would tick for 20 s: only a cancel ends it within this test
        left = s.submit("left", _work(n=2000, seconds=0.01), 2000, watcher="a")
        shared = s.submit("shared", _work(n=2000, seconds=0.01), 2000, watcher="b")
        s.submit("shared", _work(), 1, watcher="c")  # a second visitor waits for the same result
        t = time.monotonic()
        online["a"] = online["b"] = False
        assert s.reap(t) == []  # gone just now: a blip or a reload may bring them back
        online["a"] = True  # ... and "a" came back
        assert s.reap(t + 0.5) == [] and left.absent == {}
        online["a"] = False
        assert s.reap(t + 0.6) == [] and s.reap(t + 1.5) == []  # the absence counts again from 0.6
        assert s.reap(t + 1.7) == [left]  # gone for departed_s: cancelled, 3,600 s before the silence rule
        assert left.wait(5) and left.state == "abandoned"
        assert shared.active and s.reap(t + 100) == []  # "c" is still connected
        online["c"] = False
        s.reap(t + 101)
        assert s.reap(t + 102.5) == [shared]
        assert shared.wait(5) and shared.state == "abandoned"
    finally:
        s.shutdown(5)


def test_a_background_tab_keeps_its_job_and_a_visitor_who_moved_on_does_not() -> None:
    """Connected visitors silent past `abandon_s`: one who has run nothing since last looking at the job (a tab in
    the background, whose progress the browser stops refreshing) still waits for it; one who has run a page since
    (other settings, another view) has moved on, and the job is cancelled. Leaving still ends it after
    `departed_s`. The silence rule alone cancelled both (checked: this test fails with it)."""
    online = {"away": True, "moved": True}
    s = Scheduler(slots=2, abandon_s=0.3, reap_s=3600, processes=False, connected=online.__getitem__,
                  departed_s=1.0)
    try:
        t = time.monotonic()
        s.ran("away", t - 1)
        s.ran("moved", t - 1)  # both ran a page, then it started (and saw) a job
        away = s.submit("away", _work(n=2000, seconds=0.01), 2000, watcher="away")
        moved = s.submit("moved", _work(n=2000, seconds=0.01), 2000, watcher="moved")
        s.ran("moved", time.monotonic() + 0.1)  # a later run that did not draw its job
        assert s.reap(t + 10) == [moved]  # silent 10 s: "away" did nothing since, "moved" did something else
        assert moved.wait(5) and moved.state == "abandoned"
        assert away.active and s.reap(t + 60) == []
        online["away"] = False  # the tab closes
        s.reap(t + 61)
        assert s.reap(t + 62.5) == [away]
        assert away.wait(5) and away.state == "abandoned"
        assert "away" not in s._ran  # a visitor who left is forgotten
    finally:
        s.shutdown(5)


def test_cancel_timeout_and_failure_end_with_a_state(sched) -> None:
    slow = sched.submit("slow", _work(n=100, seconds=0.02), 100, limit_s=0.1)
    boom = sched.submit("boom", lambda tick: 1 / 0, 1)
    assert slow.wait(5) and boom.wait(5)
    assert slow.state == "timed_out" and slow.done < 100
    assert boom.state == "failed" and isinstance(boom.error, ZeroDivisionError)


def test_the_in_run_gate_admits_slots_at_once_and_nests(sched) -> None:
    inside, peak, lock = [0], [0], threading.Lock()
    waited = []

    def page_run():
        with sched.foreground(on_wait=waited.append), sched.foreground():  # nested: no second slot, no deadlock
            with lock:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            time.sleep(0.1)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=page_run) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert peak[0] == 2 and waited  # never more than the slots, and the others were told to wait


def test_shutdown_stops_the_workers(sched) -> None:
    job = sched.submit("long", _work(n=10_000, seconds=0.001), 10_000)
    time.sleep(0.1)
    sched.shutdown(5)
    assert job.wait(1) and job.state == "cancelled"
    assert not any(t.is_alive() for t in sched.workers)


# jobs in forked children (engine.forked) --------------------------------------------------------------------

@pytest.fixture
def forked_sched():
    s = Scheduler(slots=2, abandon_s=0.3, reap_s=3600, processes=True)
    yield s
    s.shutdown(5)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_job_runs_in_a_child_at_low_priority_and_its_progress_reaches_the_server(forked_sched) -> None:
    def work(tick):
        for i in range(3):
            time.sleep(0.15)
            tick(i + 1, f"item {i + 1}")
        return os.getpid(), os.getpriority(os.PRIO_PROCESS, 0)

    job = forked_sched.submit("child", work, 3)
    assert job.wait(20) and job.state == "done", job.error
    pid, nice = job.result
    assert pid != os.getpid() and nice >= forked_sched.nice  # another process, and a lower priority
    assert job.done >= 2 and job.what.startswith("item")  # its ticks crossed the pipe
    assert not _alive(pid)  # reaped: no zombie, no orphan


def test_cancel_kills_the_child_at_once_and_leaves_no_process(forked_sched, tmp_path) -> None:
    marker = tmp_path / "pid"

    def work(tick):
        (tmp_path / "pid.part").write_text(str(os.getpid()))
        os.replace(tmp_path / "pid.part", marker)  # whole: the parent never reads a file created but not yet written
        while True:  # never ticks: only the parent can stop it
            sum(range(10_000))

    job = forked_sched.submit("spin", work, 1)
    deadline = time.monotonic() + 20
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = int(marker.read_text())
    assert _alive(pid)
    t = time.monotonic()
    job.cancel()
    assert job.wait(5) and job.state == "cancelled"
    assert time.monotonic() - t < 2.0
    assert not _alive(pid)


def test_a_killed_child_is_a_clear_error_and_a_coded_error_keeps_its_code(forked_sched, tmp_path) -> None:
    import signal

    from engine.artifacts import ArtifactError

    def dies(tick):
        os.kill(os.getpid(), signal.SIGKILL)

    def refuses(tick):
        raise ArtifactError("artifact.empty", what="config.json")

    def breaks(tick):
        raise ZeroDivisionError("no")

    jobs = [forked_sched.submit(k, w, 1) for k, w in (("dies", dies), ("refuses", refuses), ("breaks", breaks))]
    for j in jobs:
        assert j.wait(20) and j.state == "failed"
    assert jobs[0].error.code == "job.worker_died" and jobs[0].error.params["status"] == -signal.SIGKILL
    assert jobs[1].error.code == "artifact.empty" and jobs[1].error.params == {"what": "config.json"}
    assert jobs[2].error.code == "job.worker_failed" and jobs[2].error.params == {"kind": "ZeroDivisionError"}


def test_work_that_must_share_the_servers_objects_stays_in_a_thread(forked_sched) -> None:
    job = forked_sched.submit("here", lambda tick: os.getpid(), 1, isolate=False)
    assert job.wait(10) and job.result == os.getpid()
