"""Vector quantisation in the plane, where it can be seen: points, a small codebook, each code's Voronoi cell,
and the codebook moving step by step under the k-means update, the EMA update, or EMA with dead-code restarts.

The points are a seeded mixture of Gaussians on a ring around (3, 3); the codes start in a tight cluster near
the origin, as the ±1/K initialisation puts them: outside the data, so the codes nearest to it win every
point and the rest never move. That is a dead code, and a restart is what revives it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from engine.messages import CodedError, define
from engine.vqvae.model import ema_codebook, quantize

TOY_RULES = ("kmeans", "ema", "ema_restart")
MAX_TOY_POINTS, MAX_TOY_CODES, MAX_TOY_STEPS = 2000, 64, 200

define({
    "vqvae.toy": "the toy takes 10–{max_n} points, 2–{max_k} codes, 1–{max_t} steps and a rule among kmeans, ema, "
                 "ema_restart; not {n}, {k}, {t}, {rule}",
})


class ToyError(CodedError):
    """A toy run out of its bounds (a code, with the English default)."""


@dataclass(frozen=True)
class ToyStep:
    """The codebook before a step, each point's code under it, the codes' counts, distortion and dead codes."""

    codebook: torch.Tensor  # (k, 2)
    assign: torch.Tensor  # (n,)
    counts: torch.Tensor  # (k,)
    distortion: float  # mean squared distance of a point to its code
    dead: list[int]  # codes no point chose
    restarted: list[int]  # codes re-seeded after this step's assignment


@dataclass(frozen=True)
class ToyTrace:
    """Every step of one toy run, and the points."""

    rule: str
    points: torch.Tensor  # (n, 2)
    steps: list[ToyStep]


def toy_points(n: int = 300, clusters: int = 6, seed: int = 0) -> torch.Tensor:
    """`n` points from `clusters` Gaussians (σ 0.35) evenly placed on a circle of radius 2 around (3, 3)."""
    g = torch.Generator().manual_seed(seed)
    angle = torch.arange(clusters) * (2 * math.pi / clusters)
    centres = torch.stack([3 + 2 * angle.cos(), 3 + 2 * angle.sin()], 1)
    which = torch.randint(0, clusters, (n,), generator=g)
    return centres[which] + 0.35 * torch.randn(n, 2, generator=g)


def toy_run(rule: str = "kmeans", steps: int = 12, k: int = 8, n: int = 300, seed: int = 0,
            decay: float = 0.7) -> ToyTrace:
    """Run the toy: each step assigns every point to its nearest code, then updates the codebook by `rule`."""
    if rule not in TOY_RULES or not (10 <= n <= MAX_TOY_POINTS and 2 <= k <= MAX_TOY_CODES
                                     and 1 <= steps <= MAX_TOY_STEPS):
        raise ToyError("vqvae.toy", max_n=MAX_TOY_POINTS, max_k=MAX_TOY_CODES, max_t=MAX_TOY_STEPS, n=n, k=k, t=steps,
                       rule=repr(rule))
    pts = toy_points(n, seed=seed)
    g = torch.Generator().manual_seed(seed + 1)
    book = torch.empty(k, 2).uniform_(-1 / k, 1 / k, generator=g) + torch.tensor([0.5, 0.5])
    count, total = torch.ones(k), book.clone()
    trace = []
    for _ in range(steps + 1):  # the last entry shows where the final codebook assigns the points
        q = quantize(pts, book)
        counts = torch.bincount(q.indices, minlength=k).float()
        sums = torch.zeros(k, 2).index_add_(0, q.indices, pts)
        dead = [int(i) for i in (counts == 0).nonzero().flatten()]
        restarted: list[int] = []
        new = book.clone()
        if rule == "kmeans":
            live = counts > 0
            new[live] = sums[live] / counts[live, None]
        else:
            new = ema_codebook(count, total, counts, sums, decay)
            if rule == "ema_restart" and dead:
                picks = pts[torch.randint(0, n, (len(dead),), generator=g)]
                new[dead], total[dead], count[dead] = picks, picks, 1.0
                restarted = dead
        trace.append(ToyStep(book, q.indices, counts, float(q.distances.gather(1, q.indices[:, None]).mean()), dead,
                             restarted))
        book = new
    return ToyTrace(rule, pts, trace)


def voronoi(codebook: torch.Tensor, lo: float, hi: float, resolution: int = 120) -> tuple[torch.Tensor, torch.Tensor]:
    """The plane from `lo` to `hi` on a grid, and the nearest code of every grid point (its Voronoi cell)."""
    axis = torch.linspace(lo, hi, resolution)
    yy, xx = torch.meshgrid(axis, axis, indexing="ij")
    cells = quantize(torch.stack([xx.flatten(), yy.flatten()], 1), codebook).indices
    return axis, cells.reshape(resolution, resolution)
