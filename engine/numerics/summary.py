"""What the training comparisons say, computed from their results: each recipe's spread over seeds and its
verdict against fp32, what loss scaling changed, and where autocast actually computed in low precision."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch.overrides import TorchFunctionMode

from engine.device import pick_device
from engine.numerics.tinylm import Batches, TinyGPT, TinyGPTConfig, training_text
from engine.numerics.training import AUTOCAST, RunResult


@dataclass(frozen=True)
class RecipeSpread:
    """One recipe over seeds: its final losses, and its gaps to the base recipe trained with the same seed."""

    recipe: str
    finals: list[float]  # one per seed
    gaps: list[float] | None  # final loss minus the base's with the same seed; None when the base was not run

    @property
    def mean(self) -> float:
        """Mean final loss over the seeds."""
        return float(np.mean(self.finals))

    @property
    def std(self) -> float:
        """Standard deviation of the final loss over the seeds (ddof=1; 0 for one seed)."""
        return float(np.std(self.finals, ddof=1)) if len(self.finals) > 1 else 0.0

    @property
    def gap(self) -> float | None:
        """Mean gap to the base over the seeds."""
        return None if self.gaps is None else float(np.mean(self.gaps))

    @property
    def verdict(self) -> str | None:
        """"base"; "behind" / "ahead" when every seed's gap has that sign; "within" when the seeds disagree (the
        gap lies inside its spread over seeds); "one_seed" when a single seed gives no spread; None without base."""
        if self.gaps is None:
            return None
        if all(g == 0 for g in self.gaps):
            return "base"
        if len(self.gaps) < 2:
            return "one_seed"
        return "behind" if min(self.gaps) > 0 else "ahead" if max(self.gaps) < 0 else "within"


def recipe_spreads(per_seed: list[dict[str, RunResult]], base: str = "fp32") -> list[RecipeSpread]:
    """Each recipe's final losses and paired gaps over the seeds, lowest mean final loss first."""
    rows = []
    for recipe in per_seed[0]:
        finals = [runs[recipe].final_loss for runs in per_seed]
        gaps = [runs[recipe].final_loss - runs[base].final_loss for runs in per_seed] if base in per_seed[0] else None
        rows.append(RecipeSpread(recipe, finals, gaps))
    return sorted(rows, key=lambda r: r.mean)


def mean_curves(per_seed: list[dict[str, RunResult]]) -> dict[str, RunResult]:
    """Each recipe's loss per step averaged over the seeds (for one curve per recipe)."""
    return {m: RunResult(m, [float(v) for v in np.mean([runs[m].losses for runs in per_seed], axis=0)], [])
            for m in per_seed[0]}


@dataclass(frozen=True)
class ScalingEffect:
    """What dynamic loss scaling did in one comparison: final losses and mean zeroed-gradient fractions."""

    fp32: float
    fp16: float
    scaled: float
    zeros_fp32: float
    zeros_fp16: float
    zeros_scaled: float

    @property
    def gain(self) -> float:
        """How much scaling lowered fp16's final loss (negative: scaling ended higher)."""
        return self.fp16 - self.scaled


def scaling_effect(results: dict[str, RunResult]) -> ScalingEffect | None:
    """fp16 with and without loss scaling beside fp32, or None when one of the three was not run."""
    if not {"fp32", "fp16", "fp16_scaled"} <= set(results):
        return None
    r = [results[m] for m in ("fp32", "fp16", "fp16_scaled")]
    return ScalingEffect(*(x.final_loss for x in r), *(float(np.mean(x.zero_grad_fraction)) for x in r))


AUTOCAST_PARTS = {"linear": "linear", "scaled_dot_product_attention": "attention", "layer_norm": "layer_norm",
                  "cross_entropy": "loss"}


class _DtypeLog(TorchFunctionMode):
    """Records the dtype each watched torch function returned (after autocast chose its precision)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[str, set[str]] = {}

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        part = AUTOCAST_PARTS.get(getattr(func, "__name__", ""))
        if part and isinstance(out, torch.Tensor):
            self.seen.setdefault(part, set()).add(str(out.dtype).removeprefix("torch."))
        return out


def autocast_placement(mode: str, device: torch.device | None = None,
                       config: TinyGPTConfig | None = None) -> dict[str, str]:
    """The dtype each part of the tiny GPT (linear, attention, layer_norm, loss) computed in under `mode`'s
    autocast, observed on one forward pass on `device`: autocast's op lists differ between CPU and CUDA."""
    config = config or TinyGPTConfig()
    device = device or pick_device()
    torch.manual_seed(0)
    model = TinyGPT(config).to(device)
    x, y = Batches(training_text(), config.context, 2, 0, device).next()
    log = _DtypeLog()
    with torch.no_grad(), log, torch.autocast(device.type, dtype=AUTOCAST[mode] or torch.float32,
                                              enabled=AUTOCAST[mode] is not None):
        model(x, y)
    return {part: "/".join(sorted(log.seen[part])) for part in AUTOCAST_PARTS.values() if part in log.seen}
