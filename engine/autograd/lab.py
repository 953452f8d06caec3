"""Autograd's rules of the road, each shown by running it: accumulation, retain_graph, detach, in-place changes to
saved tensors, and what detach / no_grad / inference_mode / eval() do and do not do.

Every answer is computed on the spot from real tensors; the errors are PyTorch's own messages, caught.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from engine.autograd.build import Run, build, counting_saved


@dataclass(frozen=True)
class Accumulation:
    """.grad after each of k backward calls on the same graph, and after zeroing."""

    calls: int
    grads: list[list[float]]  # the first leaf's .grad after call 1, 2, …, k
    worst_ratio_error: float  # max |grad_k / grad_1 − k| over elements and calls (rounding only: a few ulp)
    after_zero: list[float]
    leaf: str


def accumulation(run: Run, calls: int = 3) -> Accumulation:
    """Call backward `calls` times on `run`'s graph (retain_graph=True) and watch the first leaf that backward
    reaches grow its .grad by the same gradient each time; then zero it, as optimizer.zero_grad() does."""
    fresh = build(run.expr, run.specs, run.requires_grad, run.dtype, run.seed)
    if fresh.output.grad_fn is None:
        return Accumulation(0, [], 0.0, [], "")
    seed = torch.ones_like(fresh.output)
    fresh.output.backward(seed, retain_graph=True)
    # the first leaf backward reached: one that requires grad but is cut off (e.g. by detach) keeps .grad None
    leaf = next((n for n in fresh.expr.inputs if n in fresh.requires_grad and fresh.inputs[n].grad is not None), None)
    if leaf is None:
        return Accumulation(0, [], 0.0, [], "")
    x = fresh.inputs[leaf]
    grads, worst = [], 0.0
    for k in range(1, calls + 1):
        if k > 1:
            fresh.output.backward(seed, retain_graph=True)
        grads.append(x.grad.flatten().tolist()[:8])
        first = torch.tensor(grads[0], dtype=torch.float64)
        ok = first != 0
        if ok.any():
            worst = max(worst, float((torch.tensor(grads[-1], dtype=torch.float64)[ok] / first[ok] - k).abs().max()))
    x.grad.zero_()
    return Accumulation(calls, grads, worst, x.grad.flatten().tolist()[:8], leaf)


@dataclass(frozen=True)
class SecondBackward:
    """What a second backward without retain_graph=True did."""

    raised: bool
    message: str  # PyTorch's own message, or "" when it did not raise
    saved_tensors: int  # tensors the graph saved for backward: with none, nothing is freed and nothing fails


def second_backward(run: Run) -> SecondBackward:
    """Backward twice on a fresh copy of `run`'s graph, the second time without retain_graph."""
    fresh = build(run.expr, run.specs, run.requires_grad, run.dtype, run.seed)
    if fresh.output.grad_fn is None:
        return SecondBackward(False, "", fresh.saved_count)
    seed = torch.ones_like(fresh.output)
    fresh.output.backward(seed)
    try:
        fresh.output.backward(seed)
    except RuntimeError as e:
        return SecondBackward(True, str(e).strip().splitlines()[0], fresh.saved_count)
    return SecondBackward(False, "", fresh.saved_count)


@dataclass(frozen=True)
class Detach:
    """detach() shares storage and the version counter with its source, and records nothing."""

    same_storage: bool
    requires_grad: bool  # of the detached tensor
    source_after_edit: list[float]  # the source after an in-place change to the detached tensor
    version_before: int
    version_after: int  # of the source, after the change through the detached view


def detach_demo(seed: int = 0) -> Detach:
    """Detach a leaf, change the detached tensor in place, and look at the leaf."""
    x = torch.randn(3, generator=torch.Generator().manual_seed(seed), dtype=torch.float64, requires_grad=True)
    d = x.detach()
    before = x._version
    d[0] = 100.0
    return Detach(d.data_ptr() == x.data_ptr(), d.requires_grad, x.detach().tolist(), before, x._version)


@dataclass(frozen=True)
class InPlace:
    """An in-place change to a tensor backward needs: the version counter catches it."""

    message: str  # PyTorch's error
    version_saved: int
    version_now: int


def inplace_on_saved(seed: int = 0) -> InPlace:
    """b = a.sigmoid() saves b for backward; b.add_(1) bumps its version; backward refuses the stale value."""
    a = torch.randn(3, generator=torch.Generator().manual_seed(seed), dtype=torch.float64, requires_grad=True)
    b = a.sigmoid()
    saved = b._version
    b.add_(1.0)
    try:
        b.sum().backward()
    except RuntimeError as e:
        return InPlace(str(e).strip().splitlines()[0], saved, b._version)
    return InPlace("", saved, b._version)  # pragma: no cover - torch always raises here


MODES = ("plain", "detach", "no_grad", "inference_mode", "eval")


@dataclass(frozen=True)
class Mode:
    """One way of running a layer, and what it turned out to do."""

    mode: str
    requires_grad: bool  # the output's requires_grad: is a graph recorded?
    has_grad_fn: bool
    saved_bytes: int  # bytes packed for backward while computing it
    inference_tensor: bool
    dropout_active: bool  # did the Dropout layer zero anything?
    usable_later: bool  # can the output later feed a computation that is differentiated?
    error: str  # PyTorch's message when it could not


def modes_table(seed: int = 0) -> list[Mode]:
    """Run Linear → Dropout(0.5) on the same input under each mode and report, measured, what each changed."""
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.5)).double()
    x = torch.randn(16, 8, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    rows = []
    for mode in MODES:
        net.train(mode != "eval")
        with counting_saved() as saved:
            if mode == "no_grad":
                with torch.no_grad():
                    y = net(x)
            elif mode == "inference_mode":
                with torch.inference_mode():
                    y = net(x)
            else:
                y = net(x)
                if mode == "detach":
                    y = y.detach()
        linear = net[0](x).detach()
        dropped = bool((y.detach() == 0).any() and not torch.allclose(y.detach(), linear))
        w = torch.ones(8, dtype=torch.float64, requires_grad=True)
        try:
            (y * w).sum().backward()
            usable, error = True, ""
        except RuntimeError as e:
            usable, error = False, str(e).strip().splitlines()[0]
        rows.append(Mode(mode, y.requires_grad, y.grad_fn is not None, saved[1], y.is_inference(), dropped,
                         usable, error))
    return rows


@dataclass(frozen=True)
class Refusal:
    """backward refused the user's own program: PyTorch's message and every value's version counter."""

    message: str
    versions: dict[str, int]  # each input's and assigned name's _version after the program ran


def backward_refusal(run: Run) -> Refusal | None:
    """Backward on a fresh copy of `run`; PyTorch's refusal (an in-place change to a tensor backward saved)
    with the version counters, or None when backward goes through."""
    fresh = build(run.expr, run.specs, run.requires_grad, run.dtype, run.seed)
    if fresh.output.grad_fn is None:
        return None
    try:
        fresh.output.backward(torch.ones_like(fresh.output))
    except RuntimeError as e:
        versions = {n: t._version for n, t in {**fresh.inputs, **fresh.values}.items()}
        return Refusal(str(e).strip().splitlines()[0], versions)
    return None
