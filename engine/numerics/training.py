"""The same tiny GPT, seed and batches trained four ways: fp32, fp16 without scaling, fp16 with
dynamic loss scaling (our LossScaler), and bf16, all under torch.autocast with fp32 master weights.

What differs between the modes is only the precision of the forward and backward matmuls, so loss
curves, skipped steps and the fraction of gradient entries that came out exactly zero show what
each format costs. The scaler's growth interval is short by default so a few hundred steps show it
both growing and backing off.

Two switches make the cost visible where AdamW with fp32 master weights hides it. AdamW divides each
update by the running root-mean-square of its own gradient, so an update is about the learning rate in
size whatever the gradient's magnitude, and fp32 master weights keep every such update. With `optimizer=
"sgd"` the update is lr·g, as small as the gradient; with `weights="low"` the weights themselves are held
in fp16 or bf16 (no fp32 master copy), so an update below half an ulp of its weight rounds away, and the
run records the share of weights that a nonzero gradient failed to move.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import torch

from engine.device import pick_device
from engine.numerics.gradients import Progress
from engine.numerics.lowbit import RECIPES, UNQUANTISED, Parts, apply_recipe
from engine.numerics.scaler import LossScaler, ScaleEvent
from engine.numerics.tinylm import Batches, TinyGPT, TinyGPTConfig, training_text

MODES = ("fp32", "fp16", "fp16_scaled", "bf16")
AUTOCAST = {"fp32": None, "fp16": torch.float16, "fp16_scaled": torch.float16, "bf16": torch.bfloat16}
OPTIMIZERS = ("adamw", "sgd")
WEIGHTS = ("fp32", "low")  # master weights in fp32, or the weights themselves in the mode's format


@dataclass
class RunResult:
    """One training run: per-step loss, skipped steps, the scaler's history, zeroed gradients, time."""

    mode: str
    losses: list[float]
    skipped: list[int]
    scale_history: list[ScaleEvent] = field(default_factory=list)
    zero_grad_fraction: list[float] = field(default_factory=list)
    stuck_fraction: list[float] = field(default_factory=list)  # weights a nonzero gradient did not move
    seconds: float = 0.0

    def as_dict(self) -> dict:
        """Plain data (for a recorded run shipped as JSON)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> RunResult:
        """The inverse of `as_dict`."""
        return cls(**(d | {"scale_history": [ScaleEvent(**e) for e in d.get("scale_history", [])]}))

    @property
    def final_loss(self) -> float:
        """Mean loss over the last tenth of the run (less noisy than the last step)."""
        tail = self.losses[-max(1, len(self.losses) // 10):]
        return sum(tail) / len(tail)


def train_run(mode: str, steps: int = 200, seed: int = 0, config: TinyGPTConfig | None = None, batch: int = 16,
              lr: float = 3e-3, init_scale: float = 2.0**16, growth_interval: int = 50,
              device: torch.device | None = None, progress: Progress | None = None, optimizer: str = "adamw",
              weights: str = "fp32", recipe: str = "fp32", parts: Parts | None = None) -> RunResult:
    """Train the tiny GPT for `steps` steps in `mode` (one of MODES) with `optimizer` (OPTIMIZERS) and its
    weights in fp32 or in the mode's own format (WEIGHTS), its block linears fake-quantised by `recipe`
    (lowbit.RECIPES, or lowbit.PUBLISHED with the recipe's `parts`), and record what happened."""
    for name, value, allowed in (("mode", mode, MODES), ("optimizer", optimizer, OPTIMIZERS),
                                 ("weights", weights, WEIGHTS)):
        if value not in allowed:
            raise ValueError(f"unknown {name} {value!r}; choose one of {', '.join(allowed)}")
    config = config or TinyGPTConfig()
    device = device or pick_device()
    torch.manual_seed(seed)
    model = TinyGPT(config).to(device)
    apply_recipe(model, recipe, parts)
    low = AUTOCAST[mode] if weights == "low" else None
    if low is not None:
        model = model.to(low)  # no fp32 copy: the optimizer's step is rounded to the low format
    params = list(model.parameters())
    opt = torch.optim.AdamW(params, lr=lr) if optimizer == "adamw" else torch.optim.SGD(params, lr=lr)
    data = Batches(training_text(), config.context, batch, seed, device)
    scaler = LossScaler(init_scale=init_scale, growth_interval=growth_interval) if mode == "fp16_scaled" else None
    autocast = AUTOCAST[mode] is not None and low is None
    result = RunResult(mode if recipe == "fp32" else recipe, [], [])
    start = time.perf_counter()
    for step in range(steps):
        x, y = data.next()
        with torch.autocast(device.type, dtype=AUTOCAST[mode] or torch.float32, enabled=autocast):
            _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        (loss * scaler.scale if scaler else loss).backward()
        found_inf = scaler.unscale_(params) if scaler else LossScaler.grads_have_inf(params)
        zeros = sum(int((p.grad == 0).sum()) for p in params) / sum(p.numel() for p in params)
        took = scaler.update(found_inf) if scaler else not found_inf
        if took:
            before = [p.detach().clone() for p in params]
            opt.step()
            moved = sum(int(((p.detach() == b) & (p.grad != 0)).sum()) for p, b in zip(params, before, strict=True))
            result.stuck_fraction.append(moved / sum(p.numel() for p in params))
        else:
            result.skipped.append(step)
            result.stuck_fraction.append(0.0)
        result.losses.append(float(loss.item()))
        result.zero_grad_fraction.append(zeros)
        if progress:
            progress(step, steps, result.losses[-1])
    result.seconds = time.perf_counter() - start
    result.scale_history = scaler.history if scaler else []
    return result


@dataclass(frozen=True)
class TrainRunSettings:
    """Everything one `train_run` trains with, as one frozen, hashable object (as nanoGPT passes one GPTConfig):
    the precision mode, schedule, model shape, batch, loss scaler, optimizer, weight format and recipe."""

    mode: str = "fp32"
    steps: int = 200
    seed: int = 0
    config: TinyGPTConfig = field(default_factory=TinyGPTConfig)
    batch: int = 16
    lr: float = 3e-3
    init_scale: float = 2.0**16
    growth_interval: int = 50
    optimizer: str = "adamw"
    weights: str = "fp32"
    recipe: str = "fp32"
    parts: Parts | None = None


def train(settings: TrainRunSettings, progress: Progress | None = None,
          device: torch.device | None = None) -> RunResult:
    """`train_run` with its settings as one object (the keyword form stays: both train the same run)."""
    return train_run(**{f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)},
                     progress=progress, device=device)


@dataclass(frozen=True)
class TrainingSettings:
    """One comparison of the four modes: what the page's controls set and what the bench records."""

    steps: int = 120
    lr: float = 3e-3
    init_log2: int = 16
    growth_interval: int = 50
    optimizer: str = "adamw"
    weights: str = "fp32"

    def kwargs(self) -> dict:
        """Keyword arguments of `train_run` / `compare_precisions`."""
        return {"steps": self.steps, "lr": self.lr, "init_scale": 2.0**self.init_log2,
                "growth_interval": self.growth_interval, "optimizer": self.optimizer, "weights": self.weights}


# the comparisons the bench records (python -m engine.numerics.bench --record) and the page shows at once
RECORDED = {"training-default": TrainingSettings(), "training-scale-28": TrainingSettings(init_log2=28),
            "training-sgd-low": TrainingSettings(steps=150, lr=0.02, optimizer="sgd", weights="low")}


def _compare(runs: dict[str, dict], progress: Progress | None, steps: int, kw: dict) -> dict[str, RunResult]:
    """`train_run` once per entry of `runs` (its own keyword arguments over `kw`); one combined progress count."""
    out = {}
    for i, (label, own) in enumerate(runs.items()):
        inner = (lambda s, _n, loss, i=i: progress(i * steps + s, len(runs) * steps, loss)) if progress else None
        out[label] = train_run(progress=inner, steps=steps, **(kw | own))
    return out


def compare_precisions(modes: tuple[str, ...] = MODES, progress: Progress | None = None, **kw) -> dict[str, RunResult]:
    """`train_run` for each mode with the same seed and batches; `progress` sees one combined count."""
    return _compare({m: {"mode": m} for m in modes}, progress, kw.pop("steps", 200), kw)


@dataclass(frozen=True)
class LowbitSettings:
    """One comparison of the simulated low-precision recipes (lowbit.RECIPES), repeated over seeds 0 … seeds − 1."""

    steps: int = 120
    lr: float = 3e-3
    seeds: int = 3

    def kwargs(self) -> dict:
        """Keyword arguments of `compare_recipes_over_seeds`."""
        return {"steps": self.steps, "lr": self.lr, "seeds": self.seeds}


RECORDED_LOWBIT = {"lowbit-default": LowbitSettings()}


def loss_gaps(results: dict[str, RunResult], base: str = "fp32") -> dict[str, float | None]:
    """Each run's final loss minus the `base` run's (None when the base was not run)."""
    ref = results.get(base)
    return {k: (r.final_loss - ref.final_loss if ref else None) for k, r in results.items()}


def recipe_runs(recipes: tuple[str, ...], parts: Parts | None = None) -> dict[str, dict]:
    """The runs of one comparison: each recipe as it is and, when `parts` switch anything on, each quantised
    recipe again with them, labelled "<recipe>+"."""
    runs = {r: {"mode": "fp32", "recipe": r} for r in recipes}
    if parts is not None and parts != Parts():
        runs |= {f"{r}+": {"mode": "fp32", "recipe": r, "parts": parts} for r in recipes if r not in UNQUANTISED}
    return runs


def compare_recipes(recipes: tuple[str, ...] = RECIPES, progress: Progress | None = None, parts: Parts | None = None,
                    **kw) -> dict[str, RunResult]:
    """`train_run` in fp32 with each fake-quantisation recipe (and, with `parts`, each quantised one again with
    those parts of the published recipes), same seed and batches; one progress count."""
    return _compare(recipe_runs(recipes, parts), progress, kw.pop("steps", 200), kw)


def compare_recipes_over_seeds(recipes: tuple[str, ...] = RECIPES, progress: Progress | None = None, seeds: int = 3,
                               steps: int = 120, parts: Parts | None = None, **kw) -> list[dict[str, RunResult]]:
    """`compare_recipes` once per seed 0 … seeds − 1 (each seed its own initial weights and batches, shared by
    every recipe); one list entry per seed, one combined progress count."""
    out = []
    n = len(recipe_runs(recipes, parts))
    for seed in range(seeds):
        inner = (lambda i, _n, loss, seed=seed: progress(seed * n * steps + i, seeds * n * steps, loss)) \
            if progress else None
        out.append(compare_recipes(recipes, inner, parts, steps=steps, seed=seed, **kw))
    return out
