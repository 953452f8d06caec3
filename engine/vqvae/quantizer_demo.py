"""What the VQ-VAE page draws of FSQ and the rotation trick, computed by engine.vqvae.quantizers in two
dimensions, where it can be seen: encoder-like points quantised onto FSQ's grid (and how many grid codes they
use), and one encoder output, its code and a decoder gradient, with the gradient each estimator hands back."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from engine.vqvae.quantizers import fsq, fsq_bound, fsq_codebook, rotate_to
from engine.vqvae.usage import Usage, usage_report


@dataclass(frozen=True)
class FsqDemo:
    """n points in the plane, their bounded (continuous) and quantised values, indices and the codebook's usage."""

    levels: tuple[int, int]
    z: np.ndarray  # (n, 2) the encoder-like inputs
    bounded: np.ndarray  # (n, 2) tanh-bounded, scaled to [−1, 1] like the values, before rounding
    values: np.ndarray  # (n, 2)
    indices: np.ndarray  # (n,)
    codebook: np.ndarray  # (∏L, 2)
    usage: Usage


def fsq_demo(levels: tuple[int, int] = (5, 5), spread: float = 1.0, n: int = 400, seed: int = 0) -> FsqDemo:
    """`n` normal points of standard deviation `spread` quantised by FSQ with `levels`."""
    z = torch.randn(n, 2, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * spread
    values, indices = fsq(z, levels)
    half_width = torch.tensor([v // 2 for v in levels], dtype=torch.float64)
    k = math.prod(levels)
    return FsqDemo(tuple(levels), z.numpy(), (fsq_bound(z, levels) / half_width).numpy(), values.numpy(),
                   indices.numpy(), fsq_codebook(levels).numpy(), usage_report(indices.numpy(), k))


@dataclass(frozen=True)
class RotationDemo:
    """One encoder output z_e, its code z_q, the decoder's gradient g at z_q, and what reaches z_e."""

    z_e: np.ndarray
    z_q: np.ndarray
    g: np.ndarray  # ∂L/∂z_q, what the decoder sends back
    straight: np.ndarray  # ∂L/∂z_e under the straight-through estimator: g itself
    rotated: np.ndarray  # ∂L/∂z_e under the rotation trick

    @staticmethod
    def _angle(a: np.ndarray, b: np.ndarray) -> float:
        return math.degrees(math.atan2(a[0] * b[1] - a[1] * b[0], a @ b))

    @property
    def turn_deg(self) -> float:
        """The angle from z_e to z_q (what the rotation undoes on the gradient)."""
        return self._angle(self.z_e, self.z_q)

    @property
    def gradient_turn_deg(self) -> float:
        """The angle from g to the gradient z_e receives under the rotation trick."""
        return self._angle(self.g, self.rotated)

    @property
    def scale(self) -> float:
        """‖rotated‖ / ‖g‖ (‖z_q‖/‖z_e‖ for a rotation)."""
        return float(np.linalg.norm(self.rotated) / np.linalg.norm(self.g))


def rotation_demo(angle_deg: float = 60.0, ratio: float = 1.5, g_deg: float = 200.0) -> RotationDemo:
    """z_e = (1, 0); z_q at `angle_deg` with norm `ratio`; a unit decoder gradient at `g_deg`. Both estimators are
    run through autograd: the gradients are what backward() leaves on z_e."""
    a, b = math.radians(angle_deg), math.radians(g_deg)
    z_q = torch.tensor([math.cos(a), math.sin(a)], dtype=torch.float64) * ratio
    g = torch.tensor([math.cos(b), math.sin(b)], dtype=torch.float64)
    out = {}
    for name in ("straight", "rotated"):
        z_e = torch.tensor([1.0, 0.0], dtype=torch.float64, requires_grad=True)
        read = z_e + (z_q - z_e).detach() if name == "straight" else rotate_to(z_e[None], z_q[None])[0]
        (read * g).sum().backward()
        out[name] = z_e.grad.numpy()
    return RotationDemo(np.array([1.0, 0.0]), z_q.numpy(), g.numpy(), out["straight"], out["rotated"])
