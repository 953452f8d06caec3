"""The digits: scikit-learn's bundled copy of the UCI optical-recognition handwritten digits (1,797 images of
8×8 pixels, each pixel a count 0..16 of set pixels in a 4×4 patch of a 32×32 bitmap). It ships inside
scikit-learn's wheel, so it loads with no network; the split into training and held-out images is ours,
fixed by a seed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

HELDOUT_FRACTION = 0.2
SPLIT_SEED = 0


@dataclass(frozen=True)
class Digits:
    """All images (n, 1, 8, 8) in [0, 1], their labels, and the indices of the training and held-out images."""

    images: torch.Tensor
    labels: torch.Tensor
    train_idx: torch.Tensor
    heldout_idx: torch.Tensor

    @property
    def train(self) -> torch.Tensor:
        """The training images."""
        return self.images[self.train_idx]

    @property
    def heldout(self) -> torch.Tensor:
        """The held-out images (never trained on)."""
        return self.images[self.heldout_idx]

    def __len__(self) -> int:
        return self.images.shape[0]

    def __getitem__(self, item) -> torch.Tensor:
        return self.images[item]


@lru_cache(maxsize=1)
def load_digits() -> Digits:
    """The 1,797 digits as float32 in [0, 1] (count / 16), with a fixed 80 / 20 training / held-out split."""
    from sklearn.datasets import load_digits as sk_digits  # imported here: only this loader needs scikit-learn

    d = sk_digits()
    images = torch.from_numpy((d.data / 16.0).astype(np.float32)).reshape(-1, 1, 8, 8)
    perm = torch.from_numpy(np.random.default_rng(SPLIT_SEED).permutation(len(images)))
    n_held = round(len(images) * HELDOUT_FRACTION)
    return Digits(images, torch.from_numpy(d.target.astype(np.int64)), perm[n_held:].sort().values,
                  perm[:n_held].sort().values)
