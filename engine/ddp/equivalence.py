"""DDP on N shards against one process on the whole batch, step by step, and the mistakes that break it.

On every rank the same seeded model is wrapped in `DistributedDataParallel` and trained on its shard of
each global batch, while the same rank also trains a plain copy on the whole batch: after every backward
the two sets of gradients are compared (the largest |g_ddp − g_single| over all parameters and ranks),
then both take the same SGD step. With the loss weighted by the shard's share of the batch the two agree
to rounding; each `MISTAKES` entry is a real error people make, and the check catches it. `no_sync`
accumulation (K micro-batches, one all-reduce) is held against one batch K times as large.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data.distributed import DistributedSampler

from engine.ddp.allreduce import DTYPES
from engine.ddp.buckets import watch_allreduces
from engine.ddp.cluster import Ctx, task
from engine.ddp.hook import DdpBucket, RingState, bucket_results, ring_hook
from engine.ddp.models import OUT, batches, check_model, make_model
from engine.messages import CodedError, Message, define

MISTAKES = ("loss_times_world", "sum_reduction", "uneven_shards_unweighted", "batchnorm_without_sync",
            "sampler_padding", "different_init")
# The bound on |g_ddp − g_single| is relative to the rounding level it is plotted against, ROUNDING_FACTOR·ε·max|g|
# (ε of the dtype, g the single process's gradient): it scales with the gradients, so it holds for a large loss
# and still catches a mistake on tiny gradients. Correct runs measured at most 3.9 of these units (2–4 ranks, both
# models, fp32 and fp64, loss scales 1e-6 to 1e6: sums over shards and over the whole batch round differently);
# every mistake measured at least 1.6e5, whatever the loss scale.
ROUNDING_FACTOR = 64
ALLREDUCES = ("gloo", "ring")  # DDP's own hook (gloo's all_reduce), or engine.ddp.ring_hook
MAX_STEPS, MAX_BATCH, LR = 50, 1024, 0.1
MAX_LOSS_SCALE = 1e12

define({
    "ddp.steps": "steps is 1 to {limit}, not {n}",
    "ddp.batch": "the batch has {low} to {limit} samples for {n} ranks, not {batch}",
    "ddp.mistake": "mistake is one of {choices}, not {mistake}",
    "ddp.allreduce": "allreduce is one of {choices}, not {allreduce}",
    "ddp.loss_scale": "loss_scale lies in [{low}, {high}], not {scale}",
    "ddp.equal": "DDP on {n} shards took the same {steps} steps as one process on the whole batch: the largest "
                 "gradient difference, {diff}, is rounding ({dtype} bound {tol})",
    "ddp.caught": "caught: the gradients differ by up to {diff} (bound {tol}).",
    "ddp.not_caught": "this mistake changes nothing with {n} rank(s): the gradients still agree to {diff}",
    "ddp.why.loss_times_world": "Multiplying the loss by the world size: DDP already averages the gradients over "
                                "ranks, so every gradient comes out {n}× too large.",
    "ddp.why.sum_reduction": "reduction='sum' on each shard: DDP averages sums, giving (1/N)·Σ instead of the "
                             "batch mean, {scale}× the single-process gradient.",
    "ddp.why.uneven_shards_unweighted": "Shards of {sizes} samples, each loss a plain mean: DDP gives every rank the "
                                        "same weight 1/N, so samples on small shards count more. Weight each "
                                        "loss by n_r·N/B.",
    "ddp.why.batchnorm_without_sync": "Plain BatchNorm normalises each shard with its own mean and variance, "
                                      "not the whole batch's; a synchronised BatchNorm shares the statistics.",
    "ddp.why.sampler_padding": "DistributedSampler pads {total} samples to {padded} by repeating {extra} of "
                               "them, so those count twice in the average.",
    "ddp.why.different_init": "The replicas started from different weights (init_sync=False skips DDP's "
                              "broadcast from rank 0): the averaged gradient belongs to no single model, and "
                              "the replicas never agree.",
    "ddp.note.bn_model": "this mistake needs a BatchNorm, so the bn model is used",
    "ddp.accumulate": "{k} micro-batches under no_sync then one synchronised step match one batch of {big}: "
                      "largest gradient difference {diff}, with {without} bucket all-reduce(s) instead of {with_sync}",
})


@dataclass(frozen=True)
class Equivalence:
    """DDP against a single process on the same data: per-step gradient gaps and where the weights end."""

    model: str
    world_size: int
    steps: int
    batch: int
    dtype: str
    mistake: str | None
    per_step_grad_diff: list[float]  # max |g_ddp − g_single| over parameters and ranks, per step
    rounding: list[float]  # eps(dtype) · max |g_single| per step: the level rounding alone reaches
    bounds: list[float]  # ROUNDING_FACTOR · rounding: what each step's gap may reach
    param_diff_after: float  # max |θ_ddp − θ_single| after all steps, over ranks
    replicas_max_diff: float  # max |θ_rank − θ_rank0| after all steps: DDP keeps replicas identical
    shard_sizes: list[int]
    losses: list[float]  # the single process's loss per step
    tolerance: float  # the bound in rounding levels (ROUNDING_FACTOR)
    equal: bool  # every step's gap within its bound: a mistake shows as False
    explanation: Message
    notes: list[Message]
    allreduce: str = "gloo"  # what summed DDP's buckets
    buckets: list[DdpBucket] = field(default_factory=list)  # the last step's buckets, logged, with "ring"


def check(model: str = "mlp", steps: int = 10, batch: int = 64, dtype: str = "float32", mistake: str | None = None,
          world: int = 1, loss_scale: float = 1.0, allreduce: str = "gloo", **_: object) -> None:
    """Refuse arguments no rank should see."""
    if allreduce not in ALLREDUCES:
        raise CodedError("ddp.allreduce", allreduce=allreduce, choices=", ".join(ALLREDUCES))
    if not (1 / MAX_LOSS_SCALE <= loss_scale <= MAX_LOSS_SCALE):
        raise CodedError("ddp.loss_scale", scale=loss_scale, low=f"{1 / MAX_LOSS_SCALE:g}", high=f"{MAX_LOSS_SCALE:g}")
    check_model(model)
    if dtype not in DTYPES:
        raise CodedError("ddp.dtype", dtype=dtype, choices=", ".join(DTYPES))
    if not 1 <= int(steps) <= MAX_STEPS:
        raise CodedError("ddp.steps", n=steps, limit=MAX_STEPS)
    if mistake is not None and mistake not in MISTAKES:
        raise CodedError("ddp.mistake", mistake=mistake, choices=", ".join(MISTAKES))
    if not 2 * world <= int(batch) <= MAX_BATCH:
        raise CodedError("ddp.batch", batch=batch, n=world, low=2 * world, limit=MAX_BATCH)


def shards(batch: int, world: int, mistake: str | None) -> list[np.ndarray]:
    """Each rank's sample indices within a global batch: contiguous near-equal pieces, made uneven on
    purpose for that mistake, or a DistributedSampler's padded interleaving for that one."""
    if mistake == "sampler_padding":
        return [np.array(list(DistributedSampler(range(batch), num_replicas=world, rank=r, shuffle=False)))
                for r in range(world)]
    sizes = [len(p) for p in np.array_split(np.arange(batch), world)]
    if mistake == "uneven_shards_unweighted" and world > 1 and len(set(sizes)) == 1:
        sizes[0], sizes[-1] = sizes[0] + sizes[-1] // 2, sizes[-1] - sizes[-1] // 2
    ends = np.cumsum([0, *sizes])
    return [np.arange(a, b) for a, b in itertools.pairwise(ends)]


def _local_loss(out: torch.Tensor, y: torch.Tensor, n_local: int, batch: int, world: int,
                mistake: str | None) -> torch.Tensor:
    """The loss one rank backpropagates. Correct: its mean weighted by n_r·N/B, so DDP's average over ranks
    is the whole batch's mean."""
    if mistake == "sum_reduction":
        return F.mse_loss(out, y, reduction="sum")
    loss = F.mse_loss(out, y)
    if mistake == "loss_times_world":
        return loss * world
    if mistake in ("uneven_shards_unweighted", "sampler_padding"):
        return loss
    return loss * (n_local * world / batch)


def _grads(net: torch.nn.Module) -> list[torch.Tensor]:
    return [p.grad.detach().clone() for p in net.parameters()]


def _max_diff(a: list[torch.Tensor], b: list[torch.Tensor]) -> float:
    return max(float((x - y).abs().max()) for x, y in zip(a, b, strict=True))


def _params_vs_rank0(net: torch.nn.Module) -> float:
    """max |θ_this − θ_rank0|: DDP's replicas should be bit-identical."""
    worst = 0.0
    for p in net.parameters():
        first = p.detach().clone()
        dist.broadcast(first, 0)
        worst = max(worst, float((first - p.detach()).abs().max()))
    return worst


def within_rounding(gaps: list[float], rounding: list[float], factor: float = ROUNDING_FACTOR) -> bool:
    """Whether every gap is at most `factor` rounding levels (ε·max|g| of its own step)."""
    return all(g <= factor * r for g, r in zip(gaps, rounding, strict=True))


def _combine(results: list[dict], model: str = "mlp", steps: int = 10, batch: int = 64, dtype: str = "float32",
             mistake: str | None = None, seed: int = 0, device: str = "cpu", loss_scale: float = 1.0,
             allreduce: str = "gloo") -> Equivalence:
    world = len(results)
    per_step = [max(r["diffs"][s] for r in results) for s in range(steps)]
    rounding = results[0]["rounding"]
    worst = max(per_step)
    # the weights after `steps` updates: each update's rounding adds at most ε·max|θ|, so the bound grows with steps
    equal = within_rounding(per_step, rounding) and within_rounding(
        [max(r["after"] for r in results)], [steps * max(r["weights"] for r in results)])
    tol = f"{ROUNDING_FACTOR}·ε·max|g|"
    fmt = f"{worst:.1e}"
    sizes = [r["n_local"] for r in results]
    notes = [Message("ddp.note.bn_model")] if mistake == "batchnorm_without_sync" and model != "bn" else []
    if mistake is None:
        why = Message("ddp.equal", n=world, steps=steps, diff=fmt, dtype=dtype, tol=tol)
    elif equal:
        why = Message("ddp.not_caught", n=world, diff=fmt)
    else:
        scale = results[0]["total"] * OUT / world
        params = {"loss_times_world": {"n": world}, "sum_reduction": {"scale": f"{scale:.4g}"},
                  "uneven_shards_unweighted": {"sizes": " + ".join(map(str, sizes))},
                  "sampler_padding": {"total": results[0]["total"], "padded": sum(sizes),
                                      "extra": sum(sizes) - results[0]["total"]}}.get(mistake, {})
        why = Message(f"ddp.why.{mistake}", **params)
        notes.insert(0, Message("ddp.caught", diff=fmt, tol=tol))
    return Equivalence(results[0]["model"], world, steps, results[0]["total"], dtype, mistake, per_step, rounding,
                       [ROUNDING_FACTOR * r for r in rounding], max(r["after"] for r in results),
                       max(r["replicas"] for r in results), sizes, results[0]["losses"], ROUNDING_FACTOR, equal, why,
                       notes, allreduce, bucket_results([r["buckets"] for r in results]) if allreduce == "ring" else [])


@task(_combine, check)
def ddp_vs_single(ctx: Ctx, model: str = "mlp", steps: int = 10, batch: int = 64, dtype: str = "float32",
                  mistake: str | None = None, seed: int = 0, device: str = "cpu", loss_scale: float = 1.0,
                  allreduce: str = "gloo") -> dict:
    """Train `steps` SGD steps with DDP on this rank's shard beside a single process on the whole batch,
    recording the gradient gap at every step (a Cluster task; `engine.ddp.train` runs it under torchrun,
    on a GPU with `device`). `loss_scale` multiplies both losses and divides the learning rate, as loss scaling
    does: the same steps, with gradients `loss_scale` times as large. With `allreduce="ring"` DDP sums its
    buckets through `ring_hook` (our ring, on CPU), and the last step's buckets come back logged."""
    dt = DTYPES[dtype]
    if mistake == "batchnorm_without_sync":
        model = "bn"
    total = batch - 1 if mistake == "sampler_padding" and batch % ctx.world == 0 else batch  # padding needs it
    torch.manual_seed(seed)
    single = make_model(model, dt).to(device)
    torch.manual_seed(seed + (ctx.rank if mistake == "different_init" else 0))
    sync = mistake != "batchnorm_without_sync"
    local = make_model(model, dt, sync_bn=sync and device == "cpu")
    if sync and device != "cpu":  # torch's own SyncBatchNorm runs on GPUs only
        local = torch.nn.SyncBatchNorm.convert_sync_batchnorm(local)
    local = local.to(device)
    if mistake != "different_init":
        local.load_state_dict(single.state_dict())
    net = DDP(local, init_sync=mistake != "different_init")
    state = RingState(ctx.rank, ctx.world)
    if allreduce == "ring":
        net.register_comm_hook(state, ring_hook)
    lr = LR / loss_scale
    opt_ddp, opt_one = torch.optim.SGD(net.parameters(), lr=lr), torch.optim.SGD(single.parameters(), lr=lr)
    xs, ys = (t.to(device) for t in batches(steps, total, dt, seed))
    mine = torch.as_tensor(shards(total, ctx.world, mistake)[ctx.rank], device=device)
    diffs, rounding, losses = [], [], []
    for s in range(steps):
        for opt in (opt_ddp, opt_one):
            opt.zero_grad(set_to_none=True)
        x, y = xs[s], ys[s]
        state.record = s == steps - 1
        (_local_loss(net(x[mine]), y[mine], len(mine), total, ctx.world, mistake) * loss_scale).backward()
        loss = F.mse_loss(single(x), y) * loss_scale
        loss.backward()
        g_ddp, g_one = _grads(net.module), _grads(single)
        diffs.append(_max_diff(g_ddp, g_one))
        rounding.append(torch.finfo(dt).eps * max(float(g.abs().max()) for g in g_one))
        losses.append(float(loss.detach()))
        opt_ddp.step()
        opt_one.step()
        ctx.tick(s + 1, steps)
    after = _max_diff([p.detach() for p in net.module.parameters()], [p.detach() for p in single.parameters()])
    weights = torch.finfo(dt).eps * max(float(p.detach().abs().max()) for p in single.parameters())
    return {"diffs": diffs, "rounding": rounding, "losses": losses, "after": after, "weights": weights,
            "replicas": _params_vs_rank0(net.module), "n_local": len(mine), "total": total, "model": model,
            "buckets": state.buckets}


@dataclass(frozen=True)
class Accumulation:
    """K micro-batches under no_sync then a synchronised one, against a single batch K times as large."""

    world_size: int
    micro: int
    batch: int  # per micro-step, over all ranks
    dtype: str
    grad_diff: float
    tolerance: float  # ROUNDING_FACTOR · ε · max |g_single|
    allreduces_no_sync: int  # gradient buckets all-reduced over the K micro-steps, with no_sync
    allreduces_every_step: int  # the same K micro-steps synchronising each time
    equal: bool
    explanation: Message


def _acc_check(micro: int = 4, batch: int = 32, dtype: str = "float32", world: int = 1, **_: object) -> None:
    check(steps=micro, batch=batch, dtype=dtype, world=world)


def _acc_combine(results: list[dict], micro: int = 4, batch: int = 32, dtype: str = "float32",
                 seed: int = 0) -> Accumulation:
    diff = max(r["diff"] for r in results)
    tol = ROUNDING_FACTOR * results[0]["rounding"]
    a, b = results[0]["count_acc"], results[0]["count_every"]
    return Accumulation(len(results), micro, batch, dtype, diff, tol, a, b, diff <= tol,
                        Message("ddp.accumulate", k=micro, big=micro * batch, diff=f"{diff:.1e}", with_sync=b,
                                without=a))


@task(_acc_combine, _acc_check)
def no_sync_accumulation(ctx: Ctx, micro: int = 4, batch: int = 32, dtype: str = "float32", seed: int = 0) -> dict:
    """Accumulate `micro` micro-batches under `no_sync` (all-reducing only on the last) and compare the
    gradient with one process on all micro·batch samples (a Cluster task)."""
    dt = DTYPES[dtype]
    torch.manual_seed(seed)
    single = make_model("mlp", dt)
    nets = [DDP(copy.deepcopy(single)) for _ in range(2)]
    counts = [watch_allreduces(n, ctx.world) for n in nets]
    xs, ys = batches(micro, batch, dt, seed)
    mine = shards(batch, ctx.world, None)[ctx.rank]
    for net, accumulate in zip(nets, (True, False), strict=True):
        for k in range(micro):
            scale = len(mine) * ctx.world / batch / micro  # each micro loss is 1/K of the big batch's mean
            if accumulate and k < micro - 1:
                with net.no_sync():
                    (F.mse_loss(net(xs[k][mine]), ys[k][mine]) * scale).backward()
            else:
                (F.mse_loss(net(xs[k][mine]), ys[k][mine]) * scale).backward()
    F.mse_loss(single(xs.reshape(-1, xs.shape[-1])), ys.reshape(-1, ys.shape[-1])).backward()
    ctx.tick(1, 1)
    rounding = torch.finfo(dt).eps * max(float(p.grad.abs().max()) for p in single.parameters())
    return {"diff": _max_diff(_grads(nets[0].module), _grads(single)), "rounding": rounding,
            "count_acc": len(counts[0]), "count_every": len(counts[1])}
