"""Ranks forked from the zygote (engine.ddp.zygote): they are the zygote's children, not the caller's, they start
without importing torch again, they die with the zygote, and a cluster whose zygote died starts afresh."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from engine.ddp import Cluster, cluster, ring_allreduce, zygote
from tests.engine.ddp.test_cluster import ROOT, _gone, _wait_gone

pytestmark = pytest.mark.skipif(not zygote.available(), reason="no fork here")


def _ppid(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def test_ranks_are_the_zygotes_children_and_start_in_a_fraction_of_an_import() -> None:
    with Cluster(2) as warm:  # the zygote is up (its own start is its imports, once)
        z = zygote.shared(cluster.rank_env())
        assert [_ppid(p) for p in warm.pids()] == [z.proc.pid] * 2
    t = time.perf_counter()
    with Cluster(2) as cl:
        started = time.perf_counter() - t
        r = cl.run(ring_allreduce, size=256)
        assert r.result_equal_to_gloo
        assert all(_ppid(p) == z.proc.pid for p in cl.pids())
    # a rank started as its own interpreter imports torch first: about a second here, on an idle machine
    assert started < 0.5, f"a forked 2-rank cluster took {started:.2f} s to start"


def test_killing_the_zygote_takes_its_ranks_and_the_next_run_starts_afresh() -> None:
    with Cluster(2, timeout_s=20) as cl:
        pids = cl.pids()
        z = zygote.shared(cluster.rank_env())
        os.kill(z.proc.pid, signal.SIGKILL)
        assert _wait_gone(pids, 5)  # PR_SET_PDEATHSIG: the ranks die with the zygote
        assert not cl.alive and [p.poll() for p in cl.procs] == [zygote.LOST] * 2
        r = cl.run(ring_allreduce, size=64)  # a new zygote, new ranks
        assert r.result_equal_to_gloo and cl.pids() != pids
        assert zygote.shared(cluster.rank_env()).proc.pid != z.proc.pid
    assert _wait_gone(cl.pids() or pids)


def test_a_killed_rank_reports_its_signal_and_is_reaped() -> None:
    with Cluster(2) as cl:
        rank = cl.procs[1]
        os.kill(rank.pid, signal.SIGKILL)
        assert rank.wait(5) == -signal.SIGKILL  # as subprocess.Popen reports it
        assert _gone(rank.pid)
        with pytest.raises(subprocess.TimeoutExpired):
            cl.procs[0].wait(0.2)  # the other rank still runs


def test_idle_stop_takes_the_zygote_once_no_cluster_is_left() -> None:
    """In a caller of its own: this test process keeps other tests' clusters (and so its zygote) alive."""
    code = ("import json, os; from engine.ddp import Cluster, cluster, zygote; c = Cluster(2); "
            "z = zygote.shared(cluster.rank_env()).proc; "
            "kept = cluster.stop_idle(idle_s=0) == [] and z.poll() is None; "
            "c.close(); cluster.stop_idle(idle_s=0); print(json.dumps([kept, z.pid, z.wait(5)]), flush=True)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    kept, pid, status = json.loads(out.stdout.strip().splitlines()[-1])
    assert kept, "the zygote was stopped while a cluster still used it"
    assert status == 0 and _gone(pid)  # stopped by closing its stdin: a clean exit


@pytest.mark.parametrize("why", ["no fork", "the zygote fails"])
def test_ranks_started_as_their_own_interpreters_still_work(monkeypatch, why: str) -> None:
    def failing(env):
        raise zygote.ZygoteError("the rank zygote did not start: {'closed': 1}")

    if why == "no fork":
        monkeypatch.setattr(cluster, "FORK_RANKS", False)
    else:
        monkeypatch.setattr(zygote, "shared", failing)
    with Cluster(2) as cl:
        assert all(_ppid(p) == os.getpid() for p in cl.pids())
        assert cl.run(ring_allreduce, size=64).result_equal_to_gloo


def test_the_zygote_refuses_to_start_without_its_caller() -> None:
    env = {k: v for k, v in os.environ.items() if k != "GLASSBOX_ZYGOTE_PARENT"}
    out = subprocess.run([sys.executable, "-m", "engine.ddp.worker", "--zygote"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env=env)
    assert out.returncode != 0 and "GLASSBOX_ZYGOTE_PARENT" in out.stderr
