"""Run one piece of background work in a forked child process, so that it never holds the server's GIL.

A background job that runs Python loops around torch calls (a tiled attention, a training step) in a thread
of the server shares one GIL with the event loop that serves every visitor: measured with six heavy jobs,
two running, the server took 8-10 s to answer a plain GET. A forked child has its own interpreter and GIL.
Fork (not spawn) because a job's work is a closure over objects already in memory (a loaded model, an index):
the child inherits them copy-on-write and nothing has to be pickled on the way in.

Rules the child keeps, since it was forked from a threaded server: it runs torch with one thread (an OpenMP
team inherited mid-flight is not safe to use after fork), dies with its parent (PR_SET_PDEATHSIG), never
returns into the server's code (os._exit), and sends back only what our own engine returned, pickled by us
(never anything a visitor gave). The parent kills it on cancel or time limit, and reads a child that died
without a result as a clear error.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import select
import signal
import struct
import time
from collections.abc import Callable
from typing import Any

from engine.messages import CodedError, define

define({
    "job.worker_died": "the worker process ended without a result (exit status {status})",
    "job.worker_failed": "the work failed in its worker process ({kind})",
})

POLL_S = 0.25  # how often the parent checks for cancellation while the child computes
TICK_EVERY_S = 0.1  # the child reports progress at most this often
_HEADER = struct.Struct("!I")
PR_SET_PDEATHSIG = 1


class WorkerDied(CodedError):
    """The child ended (killed, out of memory, a crash) without sending a result."""


class WorkerFailed(CodedError):
    """The work raised an error that is not one of ours (no message code) inside the child."""


def available() -> bool:
    """Whether work can run in a forked child here (POSIX fork and Linux's parent-death signal)."""
    return hasattr(os, "fork") and os.path.exists("/proc/self")


def _send(fd: int, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def die_with_parent(parent: int) -> bool:
    """Have the kernel SIGKILL this process when its parent (`parent`) dies; whether that parent is still alive (it
    may have died before the signal was armed: the caller should then exit)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    return os.getppid() == parent


def running(pid: int) -> bool:
    """Whether `pid` runs: it exists and is no zombie (one that has ended but nobody has reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _child(work: Callable[[Callable[..., None]], Any], fd: int, parent: int, nice: int) -> None:
    """The child's whole life: compute, send the outcome, exit without returning into the server."""
    status = 0
    try:
        if not die_with_parent(parent):
            os._exit(1)
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, 0, nice)
        import torch

        torch.set_num_threads(1)
        last = [0.0]

        def tick(done: float, what: str = "") -> None:
            now = time.monotonic()
            if now - last[0] >= TICK_EVERY_S:
                last[0] = now
                _send(fd, ("tick", float(done), str(what)))

        try:
            value = work(tick)
        except CodedError as err:
            _send(fd, ("coded", err.code, dict(err.params)))
        except Exception as err:  # not one of ours: its kind and first line travel, as text
            _send(fd, ("error", type(err).__name__, str(err).splitlines()[0][:300] if str(err) else ""))
        else:
            try:
                _send(fd, ("ok", value))
            except (pickle.PicklingError, TypeError, AttributeError) as err:  # a result that cannot travel
                _send(fd, ("error", type(err).__name__, str(err).splitlines()[0][:300] if str(err) else ""))
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def run_forked(work: Callable[[Callable[..., None]], Any], tick: Callable[..., None], nice: int = 10) -> Any:
    """Run `work(tick)` in a forked child and return its value. The child's progress reaches `tick` (which may
    raise, e.g. Cancelled, to stop the work: the child is then killed and the error propagates); between
    reports `tick` is still called every POLL_S with the last progress, so a cancel or a time limit acts
    within a quarter second. Raises the child's CodedError, WorkerFailed or WorkerDied."""
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage cannot follow it
        os.close(read_fd)
        _child(work, write_fd, parent, nice)
    os.close(write_fd)
    buf, outcome, done, what = b"", None, 0.0, ""
    try:
        while outcome is None:
            ready, _, _ = select.select([read_fd], [], [], POLL_S)
            if ready:
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    break  # the child closed its end: it exited
                buf += chunk
                while len(buf) >= _HEADER.size:
                    (n,) = _HEADER.unpack_from(buf)
                    if len(buf) < _HEADER.size + n:
                        break
                    message = pickle.loads(buf[_HEADER.size:_HEADER.size + n])  # our own child's data only
                    buf = buf[_HEADER.size + n:]
                    if message[0] == "tick":
                        _, done, what = message
                    else:
                        outcome = message
                        break
            tick(done, what)  # progress, and the chance to cancel
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(read_fd)
    status = _reap(pid)
    if outcome is None:
        raise WorkerDied("job.worker_died", status=status)
    if outcome[0] == "ok":
        return outcome[1]
    if outcome[0] == "coded":
        raise CodedError(outcome[1], **outcome[2])
    err = WorkerFailed("job.worker_failed", kind=outcome[1])
    err.detail = outcome[2]  # the child's first line, for the server's log, not for the page
    raise err


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> int:
    """Wait for the child (no zombie left behind) and return its exit status (negative: killed by that signal)."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return 0
    return os.waitstatus_to_exitcode(status)
