"""DDP against one process, run by torchrun: the same per-rank code as the page's Cluster, across machines.

    python -m torch.distributed.run --standalone --nproc_per_node=2 -m engine.ddp.train --steps 10

torchrun starts the processes and sets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT; this joins them
with gloo on CPU or NCCL on CUDA (one GPU per process, by LOCAL_RANK), runs `ddp_vs_single` on every rank,
and rank 0 prints the combined result as one line of JSON. Across machines, give torchrun
`--nnodes`, `--node_rank` and `--rdzv_endpoint` instead of `--standalone`.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os

import torch
import torch.distributed as dist

from engine.ddp.cluster import TIMEOUT_S, Ctx
from engine.ddp.equivalence import MISTAKES, check, ddp_vs_single
from engine.ddp.models import MODELS
from engine.messages import Message


def as_json(value: object) -> object:
    """Dataclasses, messages and lists as plain JSON values."""
    if isinstance(value, Message):
        return {"code": value.code, "params": value.params, "text": value.text}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> None:
    """Parse the options, join the process group torchrun prepared, compare, print JSON on rank 0."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", choices=MODELS, default="mlp")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    ap.add_argument("--mistake", choices=MISTAKES, default=None)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    cuda = torch.cuda.is_available()
    dist.init_process_group("nccl" if cuda else "gloo", timeout=datetime.timedelta(seconds=TIMEOUT_S))
    try:
        rank, world = dist.get_rank(), dist.get_world_size()
        device = "cpu"
        if cuda:
            local = int(os.environ.get("LOCAL_RANK", "0"))
            torch.cuda.set_device(local)
            device = f"cuda:{local}"
        kwargs = {k: getattr(args, k) for k in ("model", "steps", "batch", "dtype", "mistake", "seed")}
        check(world=world, **kwargs)
        mine = ddp_vs_single.per_rank(Ctx(rank, world, lambda done, total: None), device=device, **kwargs)
        every: list[object] = [None] * world
        dist.all_gather_object(every, mine)
        if rank == 0:
            result = ddp_vs_single.combine(every, **kwargs)
            print(json.dumps({"backend": dist.get_backend(), "device": device, **as_json(result)}), flush=True)
    finally:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
