"""Rank processes forked from a warm parent, so that starting a cluster does not import torch again for every rank.

A fresh `python -m engine.ddp.worker` spends about 2.5 s of CPU before it can join a process group: importing torch,
torch.distributed, and torch._dynamo (which DistributedDataParallel's constructor imports). A sampling profile of the
test suite put a third of its CPU time there. The zygote is one such interpreter, started once per caller process
with those modules loaded and nothing else running (no threads: OMP_NUM_THREADS=1, no torch op yet), that forks a
rank on request: the rank inherits the loaded modules copy-on-write and starts in milliseconds. It is a fresh
interpreter of its own, never the caller (a threaded server) forked, and it never imports the caller's script.

The zygote's side is `engine.ddp.worker --zygote` (it runs the same code as a rank); this module is the caller's.
Protocol (JSON lines): the caller writes {"env": {...}} to the zygote's stdin for each rank; the zygote answers
{"pid": n}, and {"exit": pid, "code": c} once it has reaped a rank (c as subprocess reports it: -9 for SIGKILL).
Lifetimes: the zygote dies with its caller (PR_SET_PDEATHSIG), and exits when the caller closes its stdin; each rank
dies with the zygote (PR_SET_PDEATHSIG again, and the worker's own watchdog on its parent), so stopping the zygote or
killing the caller stops every rank.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from engine import forked

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 120.0  # the zygote's imports (a few seconds; a busy machine takes longer)
LOST = -int(signal.SIGKILL)  # the status of a rank whose zygote died before reporting it: killed with the zygote


class ZygoteError(RuntimeError):
    """The zygote did not start, or did not fork a rank (a Cluster then starts its ranks as interpreters of their
    own)."""


def available() -> bool:
    """Whether ranks can be forked from a zygote here (POSIX fork and Linux's parent-death signal)."""
    return hasattr(os, "fork") and os.path.exists("/proc/self")


class Rank:
    """A rank forked by the zygote, with the part of subprocess.Popen's interface a Cluster uses."""

    def __init__(self, zygote: Zygote, pid: int) -> None:
        self.zygote, self.pid = zygote, pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """The rank's exit status once the zygote has reaped it, else None."""
        if self.returncode is None:
            self.returncode = self.zygote.exit_code(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Block until the rank has ended; subprocess.TimeoutExpired after `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"rank {self.pid}", timeout)
            time.sleep(0.01)
        return self.returncode  # type: ignore[return-value]

    def kill(self) -> None:
        """SIGKILL the rank, unless it is known to have ended (its pid may then belong to another process)."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


class Zygote:
    """The caller's side: start the zygote process, ask it for ranks, hear about their ends."""

    def __init__(self, env: dict[str, str]) -> None:
        self.owner = os.getpid()
        self.proc = subprocess.Popen([sys.executable, "-m", "engine.ddp.worker", "--zygote"], cwd=ROOT,
                                     env={**env, "GLASSBOX_ZYGOTE_PARENT": str(self.owner)}, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._exits: dict[int, int] = {}
        self._answers: queue.Queue[dict] = queue.Queue()
        self._lock = threading.Lock()  # one request and its answer at a time
        threading.Thread(target=self._read, name="ddp-zygote", daemon=True).start()
        first = self._answer(START_TIMEOUT_S)
        if "ready" not in first:
            self.close()
            raise ZygoteError(f"the rank zygote did not start: {first}")

    def _read(self) -> None:
        for line in self.proc.stdout:  # type: ignore[union-attr]
            msg = json.loads(line)
            if "exit" in msg:
                self._exits[msg["exit"]] = msg["code"]
            else:
                self._answers.put(msg)
        self._answers.put({"closed": self.proc.wait()})

    def _answer(self, timeout_s: float) -> dict:
        try:
            return self._answers.get(timeout=timeout_s)
        except queue.Empty:
            return {"timeout": timeout_s}

    @property
    def alive(self) -> bool:
        """Whether the zygote runs and belongs to this process (a forked copy of the caller must start its own)."""
        return self.owner == os.getpid() and self.proc.poll() is None

    def spawn(self, env: dict[str, str]) -> Rank:
        """Fork a rank with `env` added to the zygote's environment."""
        with self._lock:
            try:
                self.proc.stdin.write((json.dumps({"env": env}) + "\n").encode())  # type: ignore[union-attr]
                self.proc.stdin.flush()  # type: ignore[union-attr]
            except (BrokenPipeError, ValueError) as e:
                raise ZygoteError("the rank zygote has exited") from e
            got = self._answer(30.0)
        if "pid" not in got:
            self.close()  # its late answer would be read as the next request's: the next start gets a new zygote
            raise ZygoteError(f"the rank zygote did not fork a rank: {got}")
        return Rank(self, got["pid"])

    def exit_code(self, pid: int) -> int | None:
        """The status of an ended rank, or None while it runs."""
        code = self._exits.pop(pid, None)
        if code is None and self.proc.poll() is not None and not forked.running(pid):
            return LOST  # the zygote died first, and took the rank with it
        return code

    def close(self) -> None:
        """Stop the zygote (any rank still running dies with it)."""
        if self.owner != os.getpid():
            return  # a forked copy of the caller: the zygote is the original's
        with contextlib.suppress(OSError, ValueError):
            self.proc.stdin.close()  # type: ignore[union-attr]
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


_ZYGOTE: list[Zygote] = []
_ZYGOTE_LOCK = threading.Lock()


def shared(env: dict[str, str]) -> Zygote:
    """This process's zygote, started (with `env`) on first use and again if it died."""
    with _ZYGOTE_LOCK:
        if not _ZYGOTE or not _ZYGOTE[0].alive:
            _ZYGOTE[:] = [Zygote(env)]
        return _ZYGOTE[0]


def stop() -> bool:
    """Stop this process's zygote, if it runs; whether one did."""
    with _ZYGOTE_LOCK:
        running = [z for z in _ZYGOTE if z.alive]
        _ZYGOTE.clear()
    for z in running:
        z.close()
    return bool(running)

