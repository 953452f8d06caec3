"""Two alternatives to the nearest-code quantiser with its straight-through gradient, written from their papers:

- FSQ (Mentzer et al. 2023, "Finite Scalar Quantization: VQ-VAE Made Simple"): no codebook at all. Each of the
  d dimensions is squashed by tanh into (−(L−1)/2, (L−1)/2), rounded to one of L levels, and scaled to [−1, 1];
  the implicit codebook is the grid of ∏ L points and a code's index is its level digits read in mixed radix
  (first dimension least significant). Rounding passes the gradient straight through. The bound is the one of
  the paper's Appendix A.1 (a 1e-3 margin, a half-level shift for even L), as vector-quantize-pytorch's `FSQ`
  computes it without its options (projections, several codebooks, symmetry-preserving levels, noise).
- The rotation trick (Fifty et al. 2024, "Restructuring Vector Quantization with the Rotation Trick"): the
  decoder still reads z_q, but the gradient reaching z_e is the decoder's gradient rotated by the rotation R
  that takes z_e's direction to z_q's (and scaled by ‖z_q‖/‖z_e‖), instead of copied unchanged. R and the
  scale are constants of the backward pass (computed from detached vectors), so nothing reaches z_q this way.
  R = I − 2wwᵀ + 2q̂êᵀ with w = (ê + q̂)/‖ê + q̂‖: two reflections, never a d×d matrix (the paper's §4.2).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch.nn import functional as F

from engine.messages import define
from engine.vqvae.model import VQError

FSQ_MARGIN = 1e-3  # the bound's margin: tanh never quite reaches the outer levels' rounding edges
MAX_CODES = 1 << 24
EPS = 1e-6  # norms below this are treated as this (a zero vector has no direction)

define({"vqvae.fsq_levels": "FSQ takes one level count per dimension ({d}), each 3–65,536, at most {max} codes in "
                            "all; not {levels}"})


def _levels(levels: Sequence[int], d: int) -> torch.Tensor:
    lv = [int(v) for v in levels]
    if len(lv) != d or not all(3 <= v <= 1 << 16 for v in lv) or math.prod(lv) > MAX_CODES:
        raise VQError("vqvae.fsq_levels", levels=repr(list(levels))[:60], d=d, max=f"{MAX_CODES:,}")
    return torch.tensor(lv)


def fsq_bound(z: torch.Tensor, levels: Sequence[int]) -> torch.Tensor:
    """FSQ's bound of z (..., d), in level units: tanh squashes each dimension into (−(L−1)/2, (L−1)/2), shifted
    by half a level for even L; rounding this gives the level (what `fsq` does next)."""
    lv = _levels(levels, z.shape[-1]).to(z.device)
    fl = lv.to(z.dtype if z.is_floating_point() else torch.float32)  # constants in z's precision
    half_l = (fl - 1) * (1 + FSQ_MARGIN) / 2
    offset = (lv % 2 == 0).to(fl.dtype) * 0.5  # even L: levels sit at half-integers before the shift back
    shift = torch.atanh(offset / half_l)  # so that z = 0 lands on a level boundary's middle, not on an edge
    return torch.tanh(z + shift) * half_l - offset


def fsq(z: torch.Tensor, levels: Sequence[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """Finite scalar quantisation of z (..., d) with `levels[i]` levels in dimension i: the quantised values in
    [−1, 1] (gradient straight through the rounding) and each vector's index in the implicit codebook."""
    bounded = fsq_bound(z, levels)
    lv = torch.tensor([int(v) for v in levels], device=z.device)
    rounded = bounded + (bounded.round() - bounded).detach()  # round, with the gradient of the identity
    half_width = lv // 2
    values = rounded / half_width
    digits = (rounded.detach() + half_width).round().long()  # 0 .. L−1 in each dimension
    basis = torch.cumprod(torch.cat([lv.new_ones(1), lv[:-1]]), 0)
    return values, (digits * basis).sum(-1)


def fsq_codebook(levels: Sequence[int]) -> torch.Tensor:
    """Every point of the implicit codebook (∏L, d), row k the code of index k."""
    lv = _levels(levels, len(levels))
    k = torch.arange(int(lv.prod()))
    basis = torch.cumprod(torch.cat([lv.new_ones(1), lv[:-1]]), 0)
    digits = (k[:, None] // basis) % lv
    return (digits - lv // 2) / (lv // 2)


def rotate_to(z_e: torch.Tensor, z_q: torch.Tensor) -> torch.Tensor:
    """z_q in value (to rounding), with the gradient to z_e rotated from z_q's direction back to z_e's and scaled
    by ‖z_q‖/‖z_e‖; both (..., d). Use instead of z_e + (z_q − z_e).detach()."""
    e, q = z_e.reshape(-1, z_e.shape[-1]), z_q.reshape(-1, z_q.shape[-1])  # (n, d)
    ne, nq = e.norm(dim=-1, keepdim=True), q.norm(dim=-1, keepdim=True)  # (n, 1)
    e_hat = (e / ne.clamp_min(EPS)).detach()
    q_hat = (q / nq.clamp_min(EPS)).detach()
    w = F.normalize(e_hat + q_hat, dim=-1, eps=EPS)  # the bisector: reflect in w, then in q̂, maps ê to q̂
    rotated = e - 2 * (e * w).sum(-1, keepdim=True) * w + 2 * (e * e_hat).sum(-1, keepdim=True) * q_hat  # R e
    return (rotated * (nq / ne.clamp_min(EPS)).detach()).reshape(z_e.shape)
