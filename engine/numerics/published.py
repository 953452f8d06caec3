"""The published low-precision training recipes, whole and stripped of their parts, on a wider tiny GPT
(256 features, so that 16- and 32-value blocks and 16×16 tiles are a small part of a row), over seeds.

Each variant is a scheme (blocks.SCHEMES) and the parts of its published recipe (lowbit.Parts) that are
switched on. `compare_published` trains every variant with the same seeds and batches (fp32 arithmetic,
fake-quantised GEMM operands, as lowbit does); the bench records it (python -m engine.numerics.bench
--record-published) and the page draws the recording. It is small (a few dozen steps on a CPU), so its
differences are read against the spread over seeds, never alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine.numerics.lowbit import PUBLISHED, Parts
from engine.numerics.tinylm import TinyGPTConfig
from engine.numerics.training import RunResult, _compare

WIDE = TinyGPTConfig(width=256, layers=2, heads=4, context=32)
VARIANTS: dict[str, tuple[str, Parts]] = {  # label -> (scheme, parts switched on)
    "fp32": ("fp32", Parts()),
    "fp8_tensor": ("fp8_tensor", Parts()),
    "fp8_hybrid": ("fp8_hybrid", PUBLISHED["fp8_hybrid"]),
    "mxfp4": ("mxfp4", Parts()),
    "mxfp4_published": ("mxfp4", PUBLISHED["mxfp4"]),
    "nvfp4": ("nvfp4", Parts()),
    "nvfp4_published": ("nvfp4", PUBLISHED["nvfp4"]),
}
RECORDED_PUBLISHED = "published-wide"


@dataclass(frozen=True)
class PublishedSettings:
    """One comparison of the variants: steps, learning rate, seeds and batch size on the WIDE model."""

    steps: int = 60
    lr: float = 3e-3
    seeds: int = 3
    batch: int = 8


def compare_published(settings: PublishedSettings = PublishedSettings(),
                      variants: tuple[str, ...] = tuple(VARIANTS),
                      progress: Callable[[int, int, float], None] | None = None) -> list[dict[str, RunResult]]:
    """Every variant trained on seeds 0 … seeds − 1 (each seed its own weights and batches, shared by every
    variant); one dict per seed, one combined progress count."""
    runs = {v: {"mode": "fp32", "recipe": VARIANTS[v][0], "parts": VARIANTS[v][1]} for v in variants}
    steps, n = settings.steps, len(runs) * settings.steps
    out = []
    for seed in range(settings.seeds):
        inner = (lambda i, _n, loss, seed=seed: progress(seed * n + i, settings.seeds * n, loss)) if progress else None
        out.append(_compare(runs, inner, steps, {"seed": seed, "lr": settings.lr, "batch": settings.batch,
                                                 "config": WIDE}))
    return out
