"""A tensor hook and retain_grad() on a non-leaf of the user's own program.

Backward keeps .grad only for leaves: an intermediate value's gradient passes through and is gone, unless
`retain_grad()` asks autograd to keep it. `register_hook(fn)` sees that gradient as it passes, and whatever
fn returns replaces it for everything upstream: multiplying it by k multiplies by k every path from the
leaves that goes through that value, and leaves the other paths alone.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import torch

from engine.autograd.build import Run, build


@dataclass(frozen=True)
class Hooked:
    """One backward with a hook on `name` (gradient × scale) and retain_grad(), beside one without."""

    name: str
    scale: float
    without_retain: bool  # .grad of the non-leaf is None after a plain backward
    retained: tuple[float, ...]  # its .grad after retain_grad() (the hook's return value: what upstream used)
    hook_saw: tuple[float, ...]  # the gradient the hook received
    plain: dict[str, tuple[float, ...]]  # each requires-grad input's .grad without the hook
    hooked: dict[str, tuple[float, ...]]  # … with it


def non_leaves(run: Run) -> list[str]:
    """The names the program assigned whose value has a grad_fn: where a hook or retain_grad() can go."""
    return [n for n, v in run.values.items() if v.grad_fn is not None]


def _flat(t: torch.Tensor | None) -> tuple[float, ...]:
    return () if t is None else tuple(float(v) for v in t.detach().flatten()[:64])


def hook_demo(run: Run, name: str, scale: float = 2.0) -> Hooked:
    """Backward on fresh copies of `run`: once plain, once with retain_grad() and a hook on `name` that
    multiplies the gradient passing through it by `scale`."""
    if name not in non_leaves(run):
        raise ValueError(f"{name!r} is not a value with a grad_fn in this program")
    plain = build(run.expr, run.specs, run.requires_grad, run.dtype, run.seed)
    plain.output.backward(torch.ones_like(plain.output))
    hooked = build(run.expr, run.specs, run.requires_grad, run.dtype, run.seed)
    v = hooked.values[name]
    v.retain_grad()
    saw: list[torch.Tensor] = []

    def hook(g: torch.Tensor) -> torch.Tensor:
        saw.append(g.detach().clone())
        return g * scale

    v.register_hook(hook)
    hooked.output.backward(torch.ones_like(hooked.output))
    grads = lambda r: {n: _flat(r.inputs[n].grad) for n in r.expr.inputs if n in r.requires_grad}  # noqa: E731
    with warnings.catch_warnings():  # reading a non-leaf's .grad warns: that it is None is the point here
        warnings.simplefilter("ignore")
        kept = plain.values[name].grad is None
    return Hooked(name, scale, kept, _flat(v.grad), _flat(saw[0] if saw else None),
                  grads(plain), grads(hooked))
