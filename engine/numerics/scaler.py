"""Loss scaling with torch.amp.GradScaler's rules and defaults, plus a static mode, keeping its history.

Dynamic rule (as GradScaler's `_amp_update_scale_`): a step whose gradients hold an inf/NaN is
skipped and the scale is multiplied by `backoff_factor`; after `growth_interval` finite steps in a
row the scale is multiplied by `growth_factor` (only if the result stays finite). Static mode keeps
the scale fixed but still skips overflowing steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch


@dataclass(frozen=True)
class ScaleEvent:
    """One call of `update`: the scale that step used, what it found, and the scale for the next step."""

    step: int
    scale: float
    found_inf: bool
    took_step: bool
    next_scale: float


@dataclass
class LossScaler:
    """Dynamic (default) or static loss scaler; `scale` is the factor to multiply the next loss by."""

    init_scale: float = 2.0**16
    growth_factor: float = 2.0
    backoff_factor: float = 0.5
    growth_interval: int = 2000
    dynamic: bool = True
    scale: float = field(init=False)
    history: list[ScaleEvent] = field(init=False, default_factory=list)
    _growth_tracker: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        if not (self.init_scale > 0 and math.isfinite(self.init_scale)):
            raise ValueError("init_scale must be a positive finite number")
        if self.growth_factor <= 1.0 or not 0.0 < self.backoff_factor < 1.0 or self.growth_interval < 1:
            raise ValueError("need growth_factor > 1, 0 < backoff_factor < 1 and growth_interval >= 1")
        self.scale = float(self.init_scale)

    def update(self, found_inf: bool) -> bool:
        """Record one step's outcome and set the next scale; returns whether the optimizer step is taken."""
        used = self.scale
        if found_inf:
            if self.dynamic:
                self.scale = used * self.backoff_factor
            self._growth_tracker = 0
        else:
            self._growth_tracker += 1
            if self._growth_tracker == self.growth_interval:
                grown = used * self.growth_factor
                if self.dynamic and math.isfinite(grown):
                    self.scale = grown
                self._growth_tracker = 0
        self.history.append(ScaleEvent(len(self.history), used, bool(found_inf), not found_inf, self.scale))
        return not found_inf

    @staticmethod
    def grads_have_inf(params: list[torch.nn.Parameter]) -> bool:
        """Whether any parameter's gradient holds an inf or NaN."""
        return any(p.grad is not None and not torch.isfinite(p.grad).all() for p in params)

    def unscale_(self, params: list[torch.nn.Parameter]) -> bool:
        """Divide gradients by the current scale in place; returns whether any was inf/NaN."""
        inv = 1.0 / self.scale
        for p in params:
            if p.grad is not None:
                p.grad.mul_(inv)
        return self.grads_have_inf(params)
