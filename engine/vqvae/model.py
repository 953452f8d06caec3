"""A small VQ-VAE for 8×8 digits: a convolutional encoder to a grid of code vectors, the nearest-neighbour
quantiser, and a decoder back to pixels.

Each encoder output z_e (a `code_dim` vector per grid cell) is replaced by its nearest codebook vector e_k.
The argmin has no gradient, so the decoder's gradient is copied past it (the straight-through estimator,
z_e + (z_q − z_e).detach()). The codebook learns by one of three rules: its own loss ‖sg[z_e] − e‖² (the
paper's), an exponential moving average of the vectors assigned to each code (the paper's appendix), or
that average plus restarting dead codes from encoder outputs. All three add β·‖z_e − sg[e]‖², the
commitment loss, which pulls only the encoder.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from engine.messages import CodedError, define

UPDATES = ("loss", "ema", "ema_restart")
INITS = ("random", "data", "kmeans")  # where the codebook starts (engine/vqvae/codebook_init.py)
GRIDS = ((4, 4), (2, 2))
MAX_CODEBOOK = 1024
MAX_CODE_DIM = 64
START_COUNT = 1.0  # every code's EMA count at the start, and a restarted code's
DEAD_THRESHOLD = 0.5  # a code whose EMA count falls below this is dead: unpicked for ln 0.5 / ln γ batches (69 at 0.99)

define({
    "vqvae.update": "unknown codebook update {update}; choose loss, ema or ema_restart",
    "vqvae.grid": "the code grid is 4×4 or 2×2 for 8×8 digits, not {grid}",
    "vqvae.size": "codebook size and code dimension must be 2–{max_k} and 1–{max_d}, not {k} and {d}",
    "vqvae.decay": "the EMA decay lies in (0, 1), not {decay}",
    "vqvae.beta": "β, the commitment weight, lies in [0, 10], not {beta}",
    "vqvae.dead": "the dead-code threshold lies in (0, {start}), below the starting count, not {threshold}",
    "vqvae.init": "unknown codebook initialisation {init}; choose random, data or kmeans",
})


class VQError(CodedError):
    """A model or run that cannot be built as asked (a code, with the English default)."""


@dataclass(frozen=True)
class Quantized:
    """The nearest-neighbour step: each row's code index, its codebook vector, and all squared distances."""

    indices: torch.Tensor  # (n,)
    vectors: torch.Tensor  # (n, d)
    distances: torch.Tensor  # (n, K): ‖z − e_k‖²


def quantize(z: torch.Tensor, codebook: torch.Tensor) -> Quantized:
    """Nearest codebook vector of every row of `z` (n, d) by squared Euclidean distance (ties: lowest index)."""
    d = (z.pow(2).sum(1, keepdim=True) - 2 * z @ codebook.T + codebook.pow(2).sum(1)).clamp_min(0)
    idx = d.argmin(1)
    return Quantized(idx, codebook[idx], d)


@dataclass
class Forward:
    """One pass: reconstruction, the encoder outputs, their quantised values, code indices and loss terms."""

    recon: torch.Tensor  # (b, 1, 8, 8)
    z_e: torch.Tensor  # (b·h·w, d), rows in (image, row, column) order
    z_q: torch.Tensor  # (b·h·w, d), the codebook vectors (no gradient path to the encoder)
    z_st: torch.Tensor  # z_e + (z_q − z_e).detach(): what the decoder reads
    indices: torch.Tensor  # (b, h, w)
    reconstruction: torch.Tensor
    codebook: torch.Tensor
    commitment: torch.Tensor

    @property
    def loss(self) -> torch.Tensor:
        """What the optimiser minimises (the codebook term is 0 under the EMA rules)."""
        return self.reconstruction + self.codebook + self.commitment


class VQVAE(nn.Module):
    """Encoder → nearest-code quantiser → decoder, with one of UPDATES for the codebook."""

    def __init__(self, codebook_size: int = 64, code_dim: int = 16, grid: tuple[int, int] = (4, 4),
                 update: str = "loss", beta: float = 0.25, ema_decay: float = 0.99, width: int = 64,
                 dead_threshold: float = DEAD_THRESHOLD, init: str = "random") -> None:
        super().__init__()
        grid = tuple(grid)
        if update not in UPDATES:
            raise VQError("vqvae.update", update=repr(update))
        if grid not in GRIDS:
            raise VQError("vqvae.grid", grid=repr(grid))
        if not (2 <= codebook_size <= MAX_CODEBOOK and 1 <= code_dim <= MAX_CODE_DIM):
            raise VQError("vqvae.size", max_k=MAX_CODEBOOK, max_d=MAX_CODE_DIM, k=codebook_size, d=code_dim)
        if not 0 < ema_decay < 1:
            raise VQError("vqvae.decay", decay=ema_decay)
        if not 0 <= beta <= 10:
            raise VQError("vqvae.beta", beta=beta)
        if init not in INITS:
            raise VQError("vqvae.init", init=repr(init))
        if not 0 < dead_threshold < START_COUNT:  # at or above the starting count, every code is dead at step 0
            raise VQError("vqvae.dead", start=START_COUNT, threshold=dead_threshold)
        self.codebook_size, self.code_dim, self.grid, self.update = codebook_size, code_dim, grid, update
        self.beta, self.ema_decay, self.dead_threshold, self.eps = beta, ema_decay, dead_threshold, 1e-5
        self.init = init  # "random": the draw below; else `train` replaces it from its first batch (once)
        self.initialised = init == "random"
        down = [nn.Conv2d(width, width, 4, stride=2, padding=1), nn.ReLU()] if grid == (2, 2) else []
        up = [nn.ConvTranspose2d(width, width, 4, stride=2, padding=1), nn.ReLU()] if grid == (2, 2) else []
        self.encoder = nn.Sequential(
            nn.Conv2d(1, width // 2, 3, padding=1), nn.ReLU(),
            nn.Conv2d(width // 2, width, 4, stride=2, padding=1), nn.ReLU(),  # 8×8 → 4×4
            *down, nn.Conv2d(width, width, 3, padding=1), nn.ReLU(), nn.Conv2d(width, code_dim, 1))
        self.decoder = nn.Sequential(
            nn.Conv2d(code_dim, width, 3, padding=1), nn.ReLU(), *up,
            nn.ConvTranspose2d(width, width // 2, 4, stride=2, padding=1), nn.ReLU(),  # 4×4 → 8×8
            nn.Conv2d(width // 2, 1, 3, padding=1))
        # the common VQ-VAE initialisation, uniform in ±1/K: small codes near the origin, where encoder outputs
        # rarely are, which is what lets a codebook collapse
        start = torch.empty(codebook_size, code_dim).uniform_(-1 / codebook_size, 1 / codebook_size)
        if update == "loss":
            self.codebook = nn.Parameter(start)
        else:
            self.register_buffer("codebook", start)
        # EMA state, as vector-quantize-pytorch starts it: every count 1, every sum its code
        self.register_buffer("ema_count", torch.full((codebook_size,), START_COUNT))
        self.register_buffer("ema_sum", start.clone() * START_COUNT)

    def config(self) -> dict:
        """The constructor's arguments (what a checkpoint stores beside its weights)."""
        return {"codebook_size": self.codebook_size, "code_dim": self.code_dim, "grid": list(self.grid),
                "update": self.update, "beta": self.beta, "ema_decay": self.ema_decay,
                "width": self.encoder[2].out_channels, "dead_threshold": self.dead_threshold,
                **({"init": self.init} if self.init != "random" else {})}  # checkpoints from before `init` match

    @torch.no_grad()
    def set_codebook(self, vectors: torch.Tensor) -> None:
        """Start the codebook at `vectors` (K, d), its EMA state as at construction (count START_COUNT each)."""
        self.codebook.copy_(vectors)
        self.ema_sum.copy_(vectors * START_COUNT)
        self.ema_count.fill_(START_COUNT)
        self.initialised = True

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Images (b, 1, 8, 8) → encoder outputs as rows (b·h·w, d)."""
        z = self.encoder(x)  # (b, d, h, w)
        return z.permute(0, 2, 3, 1).reshape(-1, self.code_dim)

    def decode_rows(self, rows: torch.Tensor, batch: int) -> torch.Tensor:
        """Code vectors as rows (b·h·w, d) → images (b, 1, 8, 8)."""
        h, w = self.grid
        return self.decoder(rows.reshape(batch, h, w, self.code_dim).permute(0, 3, 1, 2))

    def decode_indices(self, indices: torch.Tensor) -> torch.Tensor:
        """Grids of code indices (b, h, w) → images (b, 1, 8, 8)."""
        return self.decode_rows(self.codebook[indices.reshape(-1)], indices.shape[0])

    def forward(self, x: torch.Tensor) -> Forward:
        """Encode, quantise (straight-through), decode, and the three loss terms."""
        z_e = self.encode(x)
        q = quantize(z_e.detach(), self.codebook.detach())
        z_q = self.codebook[q.indices]  # differentiable in the codebook under the loss rule
        z_st = z_e + (z_q - z_e).detach()
        recon = self.decode_rows(z_st, x.shape[0])
        codebook = F.mse_loss(z_q, z_e.detach()) if self.update == "loss" else z_e.new_zeros(())
        commitment = self.beta * F.mse_loss(z_e, z_q.detach())
        return Forward(recon, z_e, z_q.detach(), z_st, q.indices.reshape(x.shape[0], *self.grid),
                       F.mse_loss(recon, x), codebook, commitment)

    @torch.no_grad()
    def ema_step(self, z_e: torch.Tensor, indices: torch.Tensor) -> int:
        """The EMA codebook update for one batch (and, under "ema_restart", dead-code restarts); returns how
        many codes were restarted. A code is dead when its EMA count has fallen below `dead_threshold`: from the
        starting count, that takes `restart_after(ema_decay, dead_threshold)` batches without a single pick. It
        restarts at a random encoder output of the batch with its count back at START_COUNT, so it has as many
        batches again to be picked."""
        onehot = F.one_hot(indices.reshape(-1), self.codebook_size).type_as(z_e)
        counts, sums = onehot.sum(0), onehot.T @ z_e
        self.codebook.copy_(ema_codebook(self.ema_count, self.ema_sum, counts, sums, self.ema_decay, self.eps))
        if self.update != "ema_restart":
            return 0
        dead = self.ema_count < self.dead_threshold
        n = int(dead.sum())
        if n:
            picks = z_e[torch.randint(0, z_e.shape[0], (n,), device=z_e.device)]
            self.codebook[dead] = picks
            self.ema_sum[dead] = picks * START_COUNT
            self.ema_count[dead] = START_COUNT
        return n


def ema_codebook(count: torch.Tensor, total: torch.Tensor, batch_counts: torch.Tensor, batch_sums: torch.Tensor,
                 decay: float, eps: float = 1e-5) -> torch.Tensor:
    """One EMA step in place on `count` (K,) and `total` (K, d), returning the new codebook:
    N_k ← γN_k + (1 − γ)n_k, m_k ← γm_k + (1 − γ)Σz, e_k = m_k / Ñ_k with Laplace-smoothed counts
    Ñ_k = (N_k + ε) / (ΣN + Kε) · ΣN, so that a code nobody picks never divides by zero. Such a code does not
    keep its place for ever: its m_k and N_k both decay by γ each step, so e_k ≈ e_k·N_k / (N_k + ε) stays put
    while N_k ≫ ε, then shrinks towards the origin once N_k nears ε: from a count of 1 at γ = 0.99 and ε = 1e-5
    it is at 81 % of its length after 1,000 unused steps, half after `unpicked_half_life` (1,146), 3 % after
    1,500 (measured in tests/engine/vqvae)."""
    count.mul_(decay).add_(batch_counts, alpha=1 - decay)
    total.mul_(decay).add_(batch_sums, alpha=1 - decay)
    n = count.sum()
    smoothed = (count + eps) / (n + count.numel() * eps) * n
    return total / smoothed[:, None]


def restart_after(decay: float, threshold: float = DEAD_THRESHOLD, start: float = START_COUNT) -> int:
    """Batches without a single pick after which a code's EMA count, from `start`, is below `threshold`."""
    return math.floor(math.log(threshold / start) / math.log(decay)) + 1


def unpicked_half_life(decay: float, eps: float = 1e-5, start: float = START_COUNT) -> int:
    """Unused EMA steps after which a code's vector is at half its length: when its decayed count γ^t·start
    has fallen to ε (Laplace smoothing then divides m_k by about 2·N_k)."""
    return round(math.log(eps / start) / math.log(decay))
