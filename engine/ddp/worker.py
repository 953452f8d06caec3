"""One rank of an engine.ddp.Cluster: join the gloo group, then run the tasks the caller sends, until told to stop.

Started by `Cluster.start` with its rank, the caller's address and key, and the store in the environment: forked
by the zygote (`python -m engine.ddp.worker --zygote`, which has torch loaded; see engine.ddp.zygote), or as
`python -m engine.ddp.worker` where fork is missing. It exits when the caller says stop, when the connection
closes, or when the caller's process is gone (a watchdog thread checks), so a killed server leaves no ranks behind.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import json
import os
import select
import signal
import sys
import threading
import time
import traceback
from multiprocessing.connection import Client

from engine.forked import die_with_parent

# what every rank needs before its first task: imported once by the zygote (engine.ddp.zygote), whose forked ranks
# inherit them; torch._dynamo because DistributedDataParallel's constructor imports it (a second a rank otherwise)
PRELOAD = ("torch", "torch.distributed", "torch._dynamo", "torch.nn.parallel", "engine.ddp")


def _watchdog(parent: int) -> None:
    """Exit as soon as the process that started us is gone (we were re-parented), even mid-collective."""
    while True:
        if os.getppid() != parent:
            os._exit(3)
        time.sleep(0.5)


_OUT: list[int] = []  # the zygote's answers go to this copy of its stdout; fd 1 itself points at /dev/null


def _write(msg: dict) -> None:
    data = (json.dumps(msg) + "\n").encode()
    while data:
        data = data[os.write(_OUT[0], data):]


def _fork_rank(env: dict[str, str], private: tuple[int, ...]) -> int:
    """Fork one rank: the child runs engine.ddp.worker's main with `env` added and never returns here."""
    zygote = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:  # the child
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in private:
            os.close(fd)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # the zygote's requests are not the rank's to read
        if not die_with_parent(zygote):
            os._exit(3)
        os.environ.update(env)
        os.environ["GLASSBOX_DDP_PARENT"] = str(zygote)  # the worker's watchdog watches its real parent
        main()
        status = 0
    finally:
        os._exit(status)


def serve_zygote() -> None:
    """The zygote's whole life (engine.ddp.zygote starts it): load PRELOAD, then fork ranks on request and report
    each one's end."""
    parent = os.environ.get("GLASSBOX_ZYGOTE_PARENT", "")
    if not parent.isdigit():
        sys.exit("engine.ddp.worker --zygote is started by engine.ddp.zygote, which passes GLASSBOX_ZYGOTE_PARENT")
    if not die_with_parent(int(parent)):
        os._exit(3)
    _OUT.append(os.dup(1))
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # whatever an import prints cannot garble an answer
    for name in PRELOAD:
        importlib.import_module(name)
    wake = os.pipe()  # SIGCHLD wakes the select below through this pipe
    for fd in wake:
        os.set_blocking(fd, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake[1])
    _write({"ready": os.getpid()})
    buf = b""
    while True:
        ready, _, _ = select.select([0, wake[0]], [], [])
        if wake[0] in ready:
            with contextlib.suppress(BlockingIOError):
                while os.read(wake[0], 512):
                    pass
        while True:  # reap every rank that has ended
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if not pid:
                break
            _write({"exit": pid, "code": os.waitstatus_to_exitcode(status)})
        if 0 in ready:
            data = os.read(0, 1 << 16)
            if not data:  # the caller closed our stdin: stop (our ranks die with us)
                os._exit(0)
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                _write({"pid": _fork_rank(json.loads(line)["env"], (*wake, _OUT[0]))})


def main() -> None:
    """Serve tasks for one rank."""
    env = os.environ
    rank, world = int(env["RANK"]), int(env["GLASSBOX_DDP_WORLD"])
    threading.Thread(target=_watchdog, args=(int(env["GLASSBOX_DDP_PARENT"]),), daemon=True).start()
    host, port = env["GLASSBOX_DDP"].rsplit(":", 1)
    conn = Client((host, int(port)), authkey=bytes.fromhex(env["GLASSBOX_DDP_KEY"]))
    conn.send(rank)

    import torch
    import torch.distributed as dist

    from engine.ddp.cluster import Ctx, resolve

    torch.set_num_threads(1)  # N ranks share the cores: one thread each, as OMP_NUM_THREADS=1 asks
    timeout = datetime.timedelta(seconds=float(env["GLASSBOX_DDP_TIMEOUT"]))
    try:
        dist.init_process_group("gloo", init_method=env["GLASSBOX_DDP_STORE"], rank=rank, world_size=world,
                                timeout=timeout)
    except Exception as e:  # the caller gets the reason
        conn.send(("error", f"{type(e).__name__}: {e}", None))
        return
    conn.send(("ok", "ready", None))
    ctx = Ctx(rank, world, lambda done, total: conn.send(("tick", done, total)))
    while True:
        try:
            kind, name, kwargs = conn.recv()
        except (EOFError, OSError):
            break
        if kind == "stop":
            break
        try:
            result = resolve(name).per_rank(ctx, **kwargs)
        except Exception as e:  # the caller raises ClusterError with it
            conn.send(("error", f"{type(e).__name__}: {e}", traceback.format_exc(limit=3)))
            continue
        conn.send(("ok", result, None))
    conn.close()
    os._exit(0)  # no gloo teardown: it waits for the other ranks, and exiting frees everything anyway


if __name__ == "__main__":
    serve_zygote() if sys.argv[1:] == ["--zygote"] else main()
