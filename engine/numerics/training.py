"""The same tiny GPT, seed and batches trained four ways: fp32, fp16 without scaling, fp16 with
dynamic loss scaling (our LossScaler), and bf16, all under torch.autocast with fp32 master weights.

What differs between the modes is only the precision of the forward and backward matmuls, so loss
curves, skipped steps and the fraction of gradient entries that came out exactly zero show what
each format costs. The scaler's growth interval is short by default so a few hundred steps show it
both growing and backing off.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch

from engine.device import pick_device
from engine.numerics.gradients import Progress
from engine.numerics.scaler import LossScaler, ScaleEvent
from engine.numerics.tinylm import Batches, TinyGPT, TinyGPTConfig, training_text

MODES = ("fp32", "fp16", "fp16_scaled", "bf16")
AUTOCAST = {"fp32": None, "fp16": torch.float16, "fp16_scaled": torch.float16, "bf16": torch.bfloat16}


@dataclass
class RunResult:
    """One training run: per-step loss, skipped steps, the scaler's history, zeroed gradients, time."""

    mode: str
    losses: list[float]
    skipped: list[int]
    scale_history: list[ScaleEvent] = field(default_factory=list)
    zero_grad_fraction: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def final_loss(self) -> float:
        """Mean loss over the last tenth of the run (less noisy than the last step)."""
        tail = self.losses[-max(1, len(self.losses) // 10):]
        return sum(tail) / len(tail)


def train_run(mode: str, steps: int = 200, seed: int = 0, config: TinyGPTConfig | None = None, batch: int = 16,
              lr: float = 3e-3, init_scale: float = 2.0**16, growth_interval: int = 50,
              device: torch.device | None = None, progress: Progress | None = None) -> RunResult:
    """Train the tiny GPT for `steps` steps in `mode` (one of MODES) and record what happened."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    config = config or TinyGPTConfig()
    device = device or pick_device()
    torch.manual_seed(seed)
    model = TinyGPT(config).to(device)
    params = list(model.parameters())
    opt = torch.optim.AdamW(params, lr=lr)
    data = Batches(training_text(), config.context, batch, seed, device)
    scaler = LossScaler(init_scale=init_scale, growth_interval=growth_interval) if mode == "fp16_scaled" else None
    result = RunResult(mode, [], [])
    start = time.perf_counter()
    for step in range(steps):
        x, y = data.next()
        with torch.autocast(device.type, dtype=AUTOCAST[mode] or torch.float32, enabled=AUTOCAST[mode] is not None):
            _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        (loss * scaler.scale if scaler else loss).backward()
        found_inf = scaler.unscale_(params) if scaler else LossScaler.grads_have_inf(params)
        zeros = sum(int((p.grad == 0).sum()) for p in params) / sum(p.numel() for p in params)
        took = scaler.update(found_inf) if scaler else not found_inf
        if took:
            opt.step()
        else:
            result.skipped.append(step)
        result.losses.append(loss.item())
        result.zero_grad_fraction.append(zeros)
        if progress:
            progress(step, steps, result.losses[-1])
    result.seconds = time.perf_counter() - start
    result.scale_history = scaler.history if scaler else []
    return result


def compare_precisions(modes: tuple[str, ...] = MODES, progress: Progress | None = None, **kw) -> dict[str, RunResult]:
    """`train_run` for each mode with the same seed and batches; `progress` sees one combined count."""
    steps = kw.get("steps", 200)
    out = {}
    for i, mode in enumerate(modes):
        inner = (lambda s, _n, loss, i=i: progress(i * steps + s, len(modes) * steps, loss)) if progress else None
        out[mode] = train_run(mode, progress=inner, **kw)
    return out
