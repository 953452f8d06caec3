"""A custom torch.autograd.Function, as a user would write one: softplus(x) = ln(1 + eˣ), whose forward saves its
input with ctx.save_for_backward and whose backward returns grad · σ(x). The language's `softplus(x)` runs it,
so it appears in the user's own graph as `SoftplusBackward`; the lab holds it against torch's own
F.softplus and runs torch.autograd.gradcheck on it, and on a deliberately wrong twin (backward forgets the
denominator of σ) that gradcheck must catch. The backward is written with differentiable torch ops, so a
second backward (the page's Hessian) goes through it too.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import torch
import torch.nn.functional as F


class Softplus(torch.autograd.Function):
    """softplus(x) = ln(1 + eˣ) with a hand-written backward."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        """ln(1 + eˣ), computed stably as logaddexp(x, 0); x is kept for backward."""
        ctx.save_for_backward(x)
        return torch.logaddexp(x, torch.zeros_like(x))

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        """d softplus / dx = σ(x)."""
        (x,) = ctx.saved_tensors
        return grad * torch.sigmoid(x)


class WrongSoftplus(Softplus):
    """Softplus's own forward with a mistake in backward (eˣ instead of eˣ / (1 + eˣ)): the negative control."""

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        """Forgets to divide by 1 + eˣ."""
        (x,) = ctx.saved_tensors
        return grad * torch.exp(x)


def softplus(x: torch.Tensor) -> torch.Tensor:
    """The custom Function applied to `x` (what the language's softplus(x) runs)."""
    return Softplus.apply(x)


@dataclass(frozen=True)
class CustomCheck:
    """What the lab shows about the custom Function, every item run now."""

    source: str  # the class as written (ours, not the user's)
    node: str  # the grad_fn's class name in the graph
    saved: int  # tensors packed for backward by one call
    max_diff_value: float  # max |Softplus(x) − F.softplus(x)|
    max_diff_grad: float  # max |its gradient − F.softplus's|
    gradcheck: bool  # torch.autograd.gradcheck on Softplus (float64)
    wrong_gradcheck: bool  # the same on WrongSoftplus: must be False
    wrong_max_diff: float  # how far the wrong backward's gradient is from F.softplus's
    n: int  # inputs checked


def check_custom(n: int = 8, seed: int = 0) -> CustomCheck:
    """Run the custom Function, its wrong twin and torch's F.softplus on the same seeded float64 input."""
    x = torch.randn(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 3
    mine = x.clone().requires_grad_()
    saved = [0]

    def pack(t: torch.Tensor) -> torch.Tensor:
        saved[0] += 1
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        y = softplus(mine)
    y.sum().backward()
    ref = x.clone().requires_grad_()
    r = F.softplus(ref)
    r.sum().backward()
    wrong = x.clone().requires_grad_()
    WrongSoftplus.apply(wrong).sum().backward()
    probe = x[:4].clone().requires_grad_()
    return CustomCheck(inspect.getsource(Softplus), type(y.grad_fn).__name__, saved[0],
                       float((y - r).detach().abs().max()), float((mine.grad - ref.grad).abs().max()),
                       bool(torch.autograd.gradcheck(Softplus.apply, (probe,), raise_exception=False)),
                       bool(torch.autograd.gradcheck(WrongSoftplus.apply, (probe,), raise_exception=False)),
                       float((wrong.grad - ref.grad).abs().max()), n)
