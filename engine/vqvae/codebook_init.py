"""Where a codebook starts (issue #35): the common uniform ±1/K draw, encoder outputs sampled from the first
batch, or k-means on that batch's encoder outputs (SoundStream; vector-quantize-pytorch's `kmeans_init`).

A codebook drawn near the origin starts where encoder outputs rarely are, so the few codes nearest to the data
win every vector and the rest never move: collapse from step 0. Starting from the data puts every code where
some encoder output is; k-means then spreads them to lower the quantisation error before the first step.
Deliberately left out: k-means++ seeding and re-initialising later in training (that is the restart rule's job).
"""

from __future__ import annotations

import torch

from engine.vqvae.model import INITS, quantize

__all__ = ["INITS", "initial_codebook", "kmeans", "quantisation_error", "sample_codebook"]
KMEANS_ITERS = 10  # Lloyd iterations on the first batch (vector-quantize-pytorch's default is 10)


def sample_codebook(z: torch.Tensor, k: int, generator: torch.Generator) -> torch.Tensor:
    """`k` rows of `z` (n, d) drawn without replacement (with replacement when n < k)."""
    n = z.shape[0]
    pick = torch.randperm(n, generator=generator)[:k] if n >= k else torch.randint(0, n, (k,), generator=generator)
    return z[pick.to(z.device)].clone()


def kmeans(z: torch.Tensor, k: int, generator: torch.Generator, iters: int = KMEANS_ITERS) -> torch.Tensor:
    """Lloyd's k-means on the rows of `z` (n, d) from `k` sampled rows: each iteration assigns every row to its
    nearest centre and moves each centre to the mean of its rows (a centre with no rows stays where it is)."""
    centres = sample_codebook(z, k, generator)  # (k, d)
    for _ in range(iters):
        idx = quantize(z, centres).indices  # (n,)
        counts = torch.bincount(idx, minlength=k).to(z.dtype)  # (k,)
        sums = torch.zeros_like(centres).index_add_(0, idx, z)  # (k, d)
        live = counts > 0
        centres[live] = sums[live] / counts[live, None]
    return centres


def initial_codebook(how: str, z: torch.Tensor, k: int, generator: torch.Generator) -> torch.Tensor:
    """The starting codebook (k, d) of `how` (one of INITS other than "random") from encoder outputs `z`."""
    return kmeans(z, k, generator) if how == "kmeans" else sample_codebook(z, k, generator)


def quantisation_error(z: torch.Tensor, codebook: torch.Tensor) -> float:
    """Mean squared distance of each row of `z` to its nearest code."""
    q = quantize(z, codebook)
    return float(q.distances.gather(1, q.indices[:, None]).mean())
