"""Write the bundled example of the "yours" view: digits-codes.npy, the code grids the shipped ema_restart
checkpoint gives the held-out digits, saved with `numpy.save` as a tokenizer's output usually is ((images, rows,
columns) int64, what torch's argmin returns). Run `python -m engine.vqvae.examples.make_codes`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from engine.vqvae.data import load_digits
from engine.vqvae.train import load_shipped

EXAMPLE = Path(__file__).with_name("digits-codes.npy")
RULE = "ema_restart"


@torch.no_grad()
def codes(rule: str = RULE) -> np.ndarray:
    """The (held-out images, 4, 4) code indices of the shipped `rule` model."""
    m, _ = load_shipped()[rule]
    m.eval()
    return m(load_digits().heldout).indices.numpy().astype(np.int64)


def main() -> None:
    """Write the example file and say what it holds."""
    c = codes()
    np.save(EXAMPLE, c, allow_pickle=False)
    print(f"{EXAMPLE}: {c.shape} {c.dtype}, {len(np.unique(c))} distinct codes")


if __name__ == "__main__":
    main()
