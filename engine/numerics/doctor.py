"""The loss-scale doctor: in a mixed-precision step that overflows, which operation first produced inf or NaN, and
whether a smaller loss scale would have fixed it.

`diagnose_step` runs one forward and backward pass of a model under autocast with the loss multiplied by `scale`,
watching every leaf module: its forward output, then (in the order autograd runs them) the gradient its backward
hands to its input. The first non-finite tensor names the operation. The step is then retried with the scale
halved again and again (the weights untouched, no optimiser step) to find the largest power-of-two scale at which
every gradient is finite: when the forward pass itself overflows, or even scale 1 overflows, no smaller scale
helps. Hooks see module boundaries, so an overflow inside a module (attention's softmax, say) is named by that
module.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import torch
from torch import nn

MAX_HALVINGS = 64


@dataclass(frozen=True)
class Event:
    """A leaf module whose forward output or input gradient held inf or NaN."""

    phase: str  # "forward" or "backward"
    module: str  # its qualified name in the model
    op: str  # its class, e.g. "Linear"
    infs: int
    nans: int


@dataclass(frozen=True)
class Diagnosis:
    """One step at `scale`: every non-finite event in order, the largest safe scale and whether it fixes the step."""

    scale: float
    loss: float  # the unscaled loss of the step
    events: list[Event] = field(default_factory=list)
    grads_finite: bool = True  # every parameter gradient finite (what GradScaler checks before stepping)
    safe_scale: float | None = None  # the largest scale / 2^k (k ≥ 0) with every gradient finite; None if none
    halvings: int = 0  # k for safe_scale

    @property
    def overflowed(self) -> bool:
        """Whether the step produced any inf or NaN."""
        return bool(self.events) or not self.grads_finite

    @property
    def first(self) -> Event | None:
        """The first operation that produced inf or NaN."""
        return self.events[0] if self.events else None

    @property
    def fixed_by_smaller_scale(self) -> bool:
        """A smaller loss scale gives a finite step (False when the forward pass itself overflows)."""
        return self.overflowed and self.safe_scale is not None


def _bad(t: object) -> tuple[int, int]:
    ts = [x for x in (t if isinstance(t, tuple | list) else (t,))
          if isinstance(x, torch.Tensor) and x.is_floating_point()]
    return sum(int(x.isinf().sum()) for x in ts), sum(int(x.isnan().sum()) for x in ts)


@contextmanager
def _watch(model: nn.Module, events: list[Event]) -> Iterator[None]:
    """Record every leaf module's non-finite forward output and input gradient into `events`, in order."""
    handles = []
    for name, m in model.named_modules():
        if next(m.children(), None) is not None:
            continue

        def fwd(mod, _inp, out, name=name):
            infs, nans = _bad(out)
            if infs or nans:
                events.append(Event("forward", name, type(mod).__name__, infs, nans))

        def bwd(mod, grad_input, _grad_output, name=name):
            infs, nans = _bad(grad_input)
            if infs or nans:
                events.append(Event("backward", name, type(mod).__name__, infs, nans))

        handles += [m.register_forward_hook(fwd), m.register_full_backward_hook(bwd)]
    try:
        yield
    finally:
        for h in handles:
            h.remove()


def _step(model: nn.Module, x: torch.Tensor, y: torch.Tensor, scale: float, dtype: torch.dtype,
          events: list[Event] | None) -> tuple[float, bool]:
    """One scaled forward and backward pass; (unscaled loss, every parameter gradient finite). Grads are cleared."""
    model.zero_grad(set_to_none=True)
    device = next(model.parameters()).device
    with _watch(model, events) if events is not None else _nothing(), warnings.catch_warnings():
        # an embedding's input needs no gradient: its hook then sees the output's, which is what we want to check
        warnings.filterwarnings("ignore", "Full backward hook is firing")
        with torch.autocast(device.type, dtype=dtype):
            _, loss = model(x, y)
        (loss * scale).backward()
    finite = all(torch.isfinite(p.grad).all() for p in model.parameters() if p.grad is not None)
    model.zero_grad(set_to_none=True)
    return float(loss.detach()), bool(finite)


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def diagnose_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor, scale: float,
                  dtype: torch.dtype = torch.float16) -> Diagnosis:
    """The doctor's verdict on one step of `model` on batch (x, y) at loss scale `scale` under `dtype` autocast."""
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"a loss scale is a positive finite number, not {scale!r}")
    events: list[Event] = []
    loss, finite = _step(model, x, y, scale, dtype, events)
    if not events and finite:
        return Diagnosis(scale, loss, [], True, scale, 0)
    safe, k = None, 0
    if not any(e.phase == "forward" for e in events):  # a forward overflow is the same at every scale
        for k in range(1, MAX_HALVINGS + 1):
            s = scale / 2**k
            if _step(model, x, y, s, dtype, None)[1]:
                safe = s
                break
            if s < 1:
                break
    return Diagnosis(scale, loss, events, finite, safe, k if safe is not None else 0)
