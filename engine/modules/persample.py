"""Per-sample gradients with torch.func: what a module becomes as a pure function of its parameters.

`functional_call(module, params, (x,))` runs the module's code on the tensors of a dict, so the loss is a pure
function of (params, one example); `grad` differentiates it with respect to params, and `vmap` maps that over
the batch: one gradient per example, in one vectorised call, instead of one backward per example (what DP-SGD
clips, and what a "which example pulls hardest" view needs). The loop of one backward per example is the
reference it must equal. Left out: modules with batch statistics in train mode (BatchNorm mixes the examples,
so a per-example gradient is not defined) and random layers (vmap would need randomness="different").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn
from torch.func import functional_call, grad, vmap

from engine.timing import Timing, interleaved

LOSSES: dict[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
    "cross_entropy": F.cross_entropy, "mse": F.mse_loss}
Grads = dict[str, torch.Tensor]
FEATURES, HIDDEN, CLASSES = 8, 16, 4  # the page's classifier


def _loss(loss: str) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}, not {loss!r}")
    return LOSSES[loss]


def per_sample_grads(module: nn.Module, x: torch.Tensor, y: torch.Tensor, loss: str = "cross_entropy") -> Grads:
    """{parameter name: (batch, *shape)}: the gradient of each example's own loss, via vmap(grad(...)) over
    torch.func.functional_call."""
    fn = _loss(loss)
    params = {k: v.detach() for k, v in module.named_parameters()}
    buffers = {k: v.detach() for k, v in module.named_buffers()}

    def one(p: Grads, xi: torch.Tensor, yi: torch.Tensor) -> torch.Tensor:
        out = functional_call(module, (p, buffers), (xi.unsqueeze(0),))  # a batch of one, as the module expects
        return fn(out, yi.unsqueeze(0))

    return vmap(grad(one), in_dims=(None, 0, 0))(params, x, y)


def per_sample_loop(module: nn.Module, x: torch.Tensor, y: torch.Tensor, loss: str = "cross_entropy") -> Grads:
    """The reference: one forward and one backward per example, each .grad copied out (the module's own .grad
    is left as it was found: None)."""
    fn = _loss(loss)
    names = [k for k, _ in module.named_parameters()]
    rows: dict[str, list[torch.Tensor]] = {k: [] for k in names}
    for i in range(x.shape[0]):
        module.zero_grad(set_to_none=True)
        fn(module(x[i:i + 1]), y[i:i + 1]).backward()
        for k, p in module.named_parameters():
            rows[k].append(p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p))
    module.zero_grad(set_to_none=True)
    return {k: torch.stack(v) for k, v in rows.items()}


def classifier(features: int = FEATURES, hidden: int = HIDDEN, classes: int = CLASSES, seed: int = 0,
               dtype: torch.dtype = torch.float64) -> nn.Module:
    """The page's small seeded MLP classifier."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(features, hidden), nn.Tanh(), nn.Linear(hidden, classes)).to(dtype)


def batch(n: int, features: int = FEATURES, classes: int = CLASSES, seed: int = 0,
          dtype: torch.dtype = torch.float64) -> tuple[torch.Tensor, torch.Tensor]:
    """A seeded batch: n inputs and class labels."""
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, features, generator=g, dtype=dtype), torch.randint(0, classes, (n,), generator=g)


@dataclass(frozen=True)
class PerSample:
    """Per-sample gradients against the loop, and what they add up to."""

    n: int
    shapes: dict[str, tuple[int, ...]]  # each parameter's per-sample gradient: (n, *parameter shape)
    max_diff: float  # max |vmap − loop| over every parameter and example
    norms: list[float]  # each example's gradient norm over all parameters (what DP-SGD clips)
    losses: list[float]  # each example's loss
    mean_vs_batch: float  # max |mean of the per-sample gradients − the batch's own gradient (mean loss)|
    numbers: int  # gradient numbers computed: n × parameters


def per_sample_demo(n: int = 32, loss: str = "cross_entropy", seed: int = 0) -> PerSample:
    """The page's live result: the classifier on a seeded batch of `n`, float64."""
    m = classifier(seed=seed)
    x, y = batch(n, seed=seed)
    fast = per_sample_grads(m, x, y, loss)
    slow = per_sample_loop(m, x, y, loss)
    diff = max(float((fast[k] - slow[k]).abs().max()) for k in fast)
    norms = torch.sqrt(sum(g.flatten(1).pow(2).sum(1) for g in fast.values())).tolist()
    with torch.no_grad():
        losses = [float(_loss(loss)(m(x[i:i + 1]), y[i:i + 1])) for i in range(n)]
    m.zero_grad(set_to_none=True)
    _loss(loss)(m(x), y).backward()  # the ordinary batch gradient of the mean loss
    mean_vs = max(float((fast[k].mean(0) - p.grad).abs().max()) for k, p in m.named_parameters())
    m.zero_grad(set_to_none=True)
    return PerSample(n, {k: tuple(v.shape) for k, v in fast.items()}, diff, norms, losses, mean_vs,
                     sum(v.numel() for v in fast.values()))


def per_sample_timing(n: int, rounds: int = 5, loss: str = "cross_entropy",
                      progress: Callable[[int, int], None] | None = None) -> dict[str, Timing]:
    """Seconds per batch of vmap(grad) against the loop, interleaved rounds."""
    m = classifier()
    x, y = batch(n)
    return interleaved({"vmap": lambda: per_sample_grads(m, x, y, loss),
                        "loop": lambda: per_sample_loop(m, x, y, loss)}, rounds, progress=progress)
