"""Real gradients of a live training run, and what each format would do to them.

`capture_gradients` trains the tiny GPT in fp32 for a few hundred steps and then records, for one
more batch, the magnitude of every weight gradient and of every linear layer's output gradient
(the activation gradient that flows backward). `loss_fractions` says, for a format and a loss
scale, which fraction of those values would overflow, flush to zero, or land among subnormals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from engine.device import pick_device
from engine.numerics.formats import FormatSpec, get_format
from engine.numerics.rounding import _round_unbounded, round_array
from engine.numerics.tinylm import Batches, TinyGPT, TinyGPTConfig, training_text

Progress = Callable[[int, int, float], None]  # (step, steps, loss)


@dataclass
class LayerGrads:
    """|gradient| of one layer: a weight's gradient or a linear layer's output (activation) gradient."""

    name: str
    kind: str
    values: np.ndarray


@dataclass
class GradientCapture:
    """Gradients recorded after `step` fp32 training steps, the loss curve, and the weights then."""

    step: int
    loss: float
    lr: float
    losses: list[float]
    layers: list[LayerGrads]
    weights: dict[str, np.ndarray] = field(repr=False)
    device: str = "cpu"
    # signed 2-D tensors of every linear layer on the captured batch: {"weight", "activation" (its input),
    # "gradient" (its output's gradient)} → (rows, columns), for the block-scaling study
    tensors: dict[str, dict[str, np.ndarray]] = field(default_factory=dict, repr=False)

    def values(self, kind: str | None = None, name: str | None = None) -> np.ndarray:
        """All captured |g| of one kind ("weight"/"activation") or one layer, concatenated."""
        parts = [g.values for g in self.layers if (kind in (None, g.kind)) and (name in (None, g.name))]
        return np.concatenate(parts) if parts else np.zeros(0, np.float32)


@dataclass(frozen=True)
class LossFractions:
    """What storing |g|·scale in a format does: fractions of the nonzero finite values."""

    count: int
    exact_zeros: int
    overflow: float
    underflow: float
    subnormal: float
    normal: float

    @property
    def lost(self) -> float:
        """Fraction destroyed outright: overflowed or flushed to zero."""
        return self.overflow + self.underflow


def loss_fractions(g: np.ndarray, fmt: str | FormatSpec, scale: float = 1.0) -> LossFractions:
    """Fractions of |g|·scale that overflow, underflow to zero, are subnormal or normal in `fmt`."""
    f = get_format(fmt)
    mag = np.abs(np.asarray(g, dtype=np.float64)) * scale
    mag = mag[np.isfinite(mag)]
    zeros = int(np.count_nonzero(mag == 0))
    mag = mag[mag != 0]
    n = mag.size
    if n == 0:
        return LossFractions(0, zeros, 0.0, 0.0, 0.0, 0.0)
    if f.name in ("fp64", "fp32"):
        r = round_array(mag, f)
        over = np.isinf(r)
    else:
        r = _round_unbounded(np.minimum(mag, 2.0 * f.max), f)  # cap keeps huge values finite before rounding
        over = r > f.max
    under = r == 0
    sub = (r > 0) & (r < f.min_normal)
    return LossFractions(n, zeros, over.sum() / n, under.sum() / n, sub.sum() / n, 1 - (over | under | sub).sum() / n)


def lost_update_fraction(w: np.ndarray, delta: np.ndarray, fmt: str | FormatSpec) -> float:
    """Fraction of nonzero updates `delta` for which round(w + delta) == w when weights are stored in `fmt`."""
    w_f = round_array(w, fmt)
    moved = round_array(w_f + delta, fmt, via_fp32=False)
    nz = delta != 0
    return float(np.mean(moved[nz] == w_f[nz])) if nz.any() else 0.0


def _activation_hooks(model: nn.Module, store: dict[str, dict[str, torch.Tensor]]) -> list:
    """Hooks that keep every linear layer's input and output gradient (signed, as rows × features)."""
    def rows(t: torch.Tensor) -> torch.Tensor:
        return t.detach().float().reshape(-1, t.shape[-1]).cpu()

    def keep_input(name: str):
        return lambda _m, args: store.setdefault(name, {}).__setitem__("activation", rows(args[0]))

    def keep_grad(name: str):
        return lambda _m, _gin, gout: store.setdefault(name, {}).__setitem__("gradient", rows(gout[0]))

    linears = [(n, m) for n, m in model.named_modules() if isinstance(m, nn.Linear)]
    return ([m.register_forward_pre_hook(keep_input(n)) for n, m in linears]
            + [m.register_full_backward_hook(keep_grad(n)) for n, m in linears])


def capture_gradients(steps: int = 300, seed: int = 0, config: TinyGPTConfig | None = None, batch: int = 16,
                      lr: float = 3e-3, device: torch.device | None = None,
                      progress: Progress | None = None) -> GradientCapture:
    """Train the tiny GPT in fp32 for `steps` steps, then record every weight and activation gradient."""
    config = config or TinyGPTConfig()
    device = device or pick_device()
    torch.manual_seed(seed)
    model = TinyGPT(config).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    data = Batches(training_text(), config.context, batch, seed, device)
    losses = []
    for step in range(steps + 1):
        store: dict[str, dict[str, torch.Tensor]] = {}
        hooks = _activation_hooks(model, store) if step == steps else []
        _, loss = model(*data.next())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        for h in hooks:
            h.remove()
        losses.append(loss.item())
        if progress:
            progress(step, steps, losses[-1])
        if step < steps:
            opt.step()
    layers = [LayerGrads(n, "weight", p.grad.detach().abs().float().flatten().cpu().numpy())
              for n, p in model.named_parameters()]
    layers += [LayerGrads(n, "activation", t["gradient"].abs().flatten().numpy()) for n, t in store.items()]
    weights = {n: p.detach().float().flatten().cpu().numpy() for n, p in model.named_parameters()}
    tensors = {n: {"weight": model.get_submodule(n).weight.detach().float().cpu().numpy(),
                   **{k: v.numpy() for k, v in t.items()}} for n, t in store.items()}
    return GradientCapture(steps, losses[-1], lr, losses, layers, weights, device.type, tensors)
