"""A Cluster task that runs `GlobalBatchNorm1d` on every rank's shard of a seeded batch, for the tests and the bench
to hold against one process's `nn.BatchNorm1d` on the whole batch: outputs, input gradients, the summed weight
and bias gradients, and the running statistics after several steps. It also says what torch's own `SyncBatchNorm`
does on these CPU ranks (it refuses CPU tensors once a process group exists, the reason GlobalBatchNorm1d exists).
"""

from __future__ import annotations

import numpy as np
import torch

from engine.ddp.cluster import Ctx, task
from engine.ddp.models import GlobalBatchNorm1d


def batch(step: int, rows: int, features: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Step `step`'s whole float64 batch (rows × features, shifted and scaled so the statistics matter) and the
    coefficients of the loss Σ coef·out."""
    g = torch.Generator().manual_seed(seed * 7919 + step)
    x = torch.randn(rows, features, generator=g, dtype=torch.float64) * 3 + 1.5
    return x, torch.randn(rows, features, generator=g, dtype=torch.float64)


def shard(rows: int, world: int, rank: int) -> np.ndarray:
    """This rank's rows: contiguous near-equal pieces (uneven when `rows` does not divide)."""
    return np.array_split(np.arange(rows), world)[rank]


def _combine(results: list[dict], **_: object) -> dict:
    """Shards' outputs and input gradients stacked in rank order, weight and bias gradients summed over ranks (what
    DDP's all-reduce would do), each rank's running statistics, as tensors."""
    t = torch.from_numpy
    return {"out": torch.cat([t(r["out"]) for r in results]), "dx": torch.cat([t(r["dx"]) for r in results]),
            "dweight": sum(t(r["dweight"]) for r in results), "dbias": sum(t(r["dbias"]) for r in results),
            "running_mean": [t(r["running_mean"]) for r in results],
            "running_var": [t(r["running_var"]) for r in results],
            "tracked": [r["tracked"] for r in results], "sync_bn_cpu": results[0]["sync_bn_cpu"]}


@task(_combine)
def global_bn(ctx: Ctx, steps: int = 3, rows: int = 37, features: int = 5, momentum: float = 0.1,
              seed: int = 0) -> dict:
    """`steps` training-mode forwards of GlobalBatchNorm1d on this rank's shard, then the last step's output, the
    gradient of Σ coef·out for its shard, and the module's state (a Cluster task)."""
    bn = GlobalBatchNorm1d(features, momentum=momentum).double()
    mine = torch.as_tensor(shard(rows, ctx.world, ctx.rank))
    for s in range(steps):
        x, coef = batch(s, rows, features, seed)
        xs = x[mine].clone().requires_grad_(True)
        bn.zero_grad(set_to_none=True)
        out = bn(xs)
        (out * coef[mine]).sum().backward()
    try:
        torch.nn.SyncBatchNorm(features).double()(x[mine])
        sync = "ran"
    except ValueError as e:
        sync = f"ValueError: {e}"
    ctx.tick(1, 1)
    plain = lambda v: v.detach().numpy().copy()  # noqa: E731 - numpy crosses the connection (tensors would not)
    return {"out": plain(out), "dx": plain(xs.grad), "dweight": plain(bn.weight.grad), "dbias": plain(bn.bias.grad),
            "running_mean": plain(bn.running_mean), "running_var": plain(bn.running_var),
            "tracked": int(bn.num_batches_tracked), "sync_bn_cpu": sync}
