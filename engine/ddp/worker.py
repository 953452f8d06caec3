"""One rank of an engine.ddp.Cluster: join the gloo group, then run the tasks the caller sends, until told to stop.

Started by `Cluster.start` as `python -m engine.ddp.worker` with its rank, the caller's address and key,
and the store in the environment. It exits when the caller says stop, when the connection closes, or when
the caller's process is gone (a watchdog thread checks), so a killed server leaves no ranks behind.
"""

from __future__ import annotations

import datetime
import os
import threading
import time
import traceback
from multiprocessing.connection import Client


def _watchdog(parent: int) -> None:
    """Exit as soon as the process that started us is gone (we were re-parented), even mid-collective."""
    while True:
        if os.getppid() != parent:
            os._exit(3)
        time.sleep(0.5)


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
    main()
