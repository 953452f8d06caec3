"""The small models DDP is shown on, their seeded data, and a BatchNorm that shares statistics across ranks.

torch's own `nn.SyncBatchNorm` refuses CPU tensors, so on gloo the synchronised batch norm here sums each
rank's per-feature count, sum and sum of squares with the differentiable `torch.distributed.nn.all_reduce`:
forward and backward then see the whole batch, exactly as one process would. On CUDA, `sync_batchnorm`
hands over to `nn.SyncBatchNorm`.
"""

from __future__ import annotations

import itertools

import torch
import torch.distributed as dist
import torch.distributed.nn as dist_nn
from torch import nn

from engine.messages import CodedError, define

MODELS = ("mlp", "bn")
IN, OUT = 16, 4

define({"ddp.model": "model is one of {choices}, not {model}"})


class GlobalBatchNorm1d(nn.BatchNorm1d):
    """BatchNorm1d whose training statistics cover every rank's samples (a CPU SyncBatchNorm)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not (self.training and dist.is_initialized() and dist.get_world_size() > 1):
            return super().forward(x)
        stats = torch.cat([x.new_tensor([x.shape[0]]), x.sum(0), (x * x).sum(0)])  # (1 + 2C,)
        total = dist_nn.all_reduce(stats)  # autograd flows back through the sum to every rank
        n, s, ss = total[0], total[1:1 + x.shape[1]], total[1 + x.shape[1]:]
        mean = s / n
        var = ss / n - mean * mean  # biased, as BatchNorm normalises with
        with torch.no_grad():
            m = self.momentum
            self.running_mean.mul_(1 - m).add_(m * mean)
            self.running_var.mul_(1 - m).add_(m * var * n / (n - 1))
            self.num_batches_tracked += 1
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias


def check_model(model: str) -> None:
    """Refuse an unknown model name."""
    if model not in MODELS:
        raise CodedError("ddp.model", model=model, choices=", ".join(MODELS))


def make_model(model: str, dtype: torch.dtype, width: int = 32, sync_bn: bool = False) -> nn.Module:
    """A seeded-by-caller MLP: `mlp` (Linear-Tanh-Linear) or `bn` (Linear-BatchNorm-ReLU-Linear); with
    `sync_bn` its batch norm shares statistics across ranks."""
    check_model(model)
    if model == "mlp":
        net = nn.Sequential(nn.Linear(IN, width), nn.Tanh(), nn.Linear(width, OUT))
    else:
        norm = (GlobalBatchNorm1d if sync_bn else nn.BatchNorm1d)(width)
        net = nn.Sequential(nn.Linear(IN, width), norm, nn.ReLU(), nn.Linear(width, OUT))
    return net.to(dtype)


def wide_mlp(width: int, layers: int = 2, features: int = 256) -> nn.Module:
    """A float32 MLP of `layers` hidden layers of `width`, for timing and the bucket timeline."""
    sizes = [features] + [width] * layers + [features]
    mods: list[nn.Module] = []
    for a, b in itertools.pairwise(sizes):
        mods += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*mods[:-1])


def batches(steps: int, batch: int, dtype: torch.dtype, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Seeded inputs (steps, batch, IN) and regression targets (steps, batch, OUT)."""
    g = torch.Generator().manual_seed(seed + 7919)
    x = torch.randn(steps, batch, IN, generator=g, dtype=torch.float64)
    y = torch.randn(steps, batch, OUT, generator=g, dtype=torch.float64)
    return x.to(dtype), y.to(dtype)


def count_parameters(net: nn.Module) -> int:
    """How many numbers the optimizer updates."""
    return sum(p.numel() for p in net.parameters())
