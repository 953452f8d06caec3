"""The cluster's processes: a killed or hung rank is a ClusterError, the cluster restarts, nothing is orphaned."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.ddp import Cluster, ClusterError, ring_allreduce
from engine.ddp.cluster import resolve
from engine.messages import CodedError

ROOT = Path(__file__).resolve().parents[3]


def _gone(pid: int) -> bool:
    """Whether `pid` no longer runs (exited, or a zombie nobody has reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] == "Z"
    except FileNotFoundError:
        return True


def _wait_gone(pids: list[int], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(_gone(p) for p in pids):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_a_killed_rank_raises_and_the_cluster_restarts():
    with Cluster(2, timeout_s=20) as cl:
        pids = cl.pids()
        os.kill(pids[1], signal.SIGKILL)
        t = time.monotonic()
        with pytest.raises(ClusterError) as e:
            cl.run(ring_allreduce, size=64)
        assert time.monotonic() - t < 5
        assert e.value.code in ("ddp.rank_exited", "ddp.rank_failed")
        assert _wait_gone(pids)  # the survivor was stopped too
        assert not cl.alive
        r = cl.run(ring_allreduce, size=64)  # starts afresh
        assert r.result_equal_to_gloo and cl.pids() != pids
    assert _wait_gone(cl.pids() or pids)


@pytest.mark.slow
def test_a_hung_rank_is_reported_within_the_timeout():
    cl = Cluster(2)  # joining gloo under the normal timeout: on a busy machine it can take more than 2 s
    cl.timeout_s = 2  # then the caller gives up on a rank that sends nothing for 2 s
    pids = cl.pids()
    try:
        os.kill(pids[0], signal.SIGSTOP)
        t = time.monotonic()
        with pytest.raises(ClusterError) as e:
            cl.run(ring_allreduce, size=64)
        assert time.monotonic() - t < 15
        assert e.value.code in ("ddp.rank_silent", "ddp.rank_failed")
    finally:
        cl.close()
    assert _wait_gone(pids)


@pytest.mark.slow
def test_ranks_exit_when_their_caller_is_killed():
    # the ranks, and where ranks are forked (engine.ddp.zygote), the zygote they were forked from
    code = ("import json, time; from engine.ddp import Cluster, cluster, zygote; c = Cluster(2); "
            "z = [zygote.shared(cluster.rank_env()).proc.pid] if cluster.FORK_RANKS and zygote.available() else []; "
            "print(json.dumps(c.pids() + z), flush=True); time.sleep(60)")
    p = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        pids = json.loads(p.stdout.readline())
        assert not any(_gone(q) for q in pids)
        p.kill()
        p.wait(5)
        assert _wait_gone(pids, 10)  # the watchdog noticed the caller was gone
    finally:
        p.kill()


def test_only_engine_ddp_tasks_can_be_named():
    for name in ("os:system", "engine.ddp.cluster:Cluster", "builtins:eval", "engine.ddp.allreduce:ring"):
        with pytest.raises(CodedError):
            resolve(name)
    assert resolve("engine.ddp.allreduce:ring_allreduce") is ring_allreduce


def test_world_size_is_bounded():
    with pytest.raises(CodedError):
        Cluster(5, start=False)
    with pytest.raises(CodedError):
        Cluster(0, start=False)


@pytest.mark.slow
def test_torchrun_runs_the_same_comparison():
    out = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
                          "-m", "engine.ddp.train", "--steps", "3", "--dtype", "float64"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["backend"] == "gloo" and result["world_size"] == 2
    assert result["equal"] and max(result["per_step_grad_diff"]) <= 1e-12


@pytest.mark.slow
def test_one_shared_world_at_a_time_and_idle_clusters_stop():
    """The server keeps at most one world size warm, and stops it once idle: ranks hold 200-500 MB each."""
    from engine.ddp import cluster as mod

    two = mod.warm_cluster(2)
    pids = two.pids()
    three = mod.warm_cluster(3)
    try:
        assert not two.alive and all(_gone(p) for p in pids)  # asking for 3 ranks stopped the 2-rank world
        assert mod.is_warm(3) and not mod.is_warm(2)
        assert mod.stop_idle(idle_s=3600) == []  # just used: kept
        pids = three.pids()
        assert len(pids) == 3 and not any(_gone(p) for p in pids)
        assert mod.stop_idle(idle_s=0) == [3] and not three.alive
        assert all(_gone(p) for p in pids)
    finally:
        three.close()


def _gone(pid: int) -> bool:
    """Whether process `pid` has exited (a zombie reaped by Popen.wait counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False
