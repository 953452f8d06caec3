"""Where the codebook starts (issue #35): k-means against a plain Lloyd loop in numpy, and the quantisation
error each initialisation starts training with, read from the real training path (step 0's commitment term)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.vqvae import load_digits, train
from engine.vqvae.codebook_init import INITS, kmeans, sample_codebook
from engine.vqvae.model import VQError
from engine.vqvae.train import new_model

SMALL = {"codebook_size": 16, "code_dim": 4, "width": 16, "beta": 0.25}


def _brute_error(z: np.ndarray, book: np.ndarray) -> float:
    """Mean over rows of the squared distance to the nearest code, by a loop over the codes."""
    return float(np.min([((z - c) ** 2).sum(1) for c in book], axis=0).mean())


def _lloyd(z: np.ndarray, start: np.ndarray, iters: int) -> np.ndarray:
    """Textbook Lloyd iterations, one point at a time."""
    c = start.copy()
    for _ in range(iters):
        near = [int(np.argmin(((c - p) ** 2).sum(1))) for p in z]
        for j in range(len(c)):
            mine = z[[i for i, n in enumerate(near) if n == j]]
            if len(mine):
                c[j] = mine.mean(0)
    return c


def test_kmeans_is_lloyds_algorithm_from_sampled_rows() -> None:
    z = torch.randn(300, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    start = sample_codebook(z, 7, torch.Generator().manual_seed(2))
    assert len({tuple(r) for r in start.tolist()}) == 7 and all(r in z.tolist() for r in start.tolist())
    ours = kmeans(z, 7, torch.Generator().manual_seed(2), iters=5)
    assert np.allclose(ours.numpy(), _lloyd(z.numpy(), start.numpy(), 5), atol=1e-12)


def _start_error(init: str, honour_init: bool = True) -> float:
    """The mean squared distance of the first batch's encoder outputs to their codes when training starts, from
    step 0's commitment term (β · mean over elements), so per vector: commitment / β · code_dim."""
    m = new_model("ema", 0, init=init, **SMALL)
    if not honour_init:
        m.initialised = True  # a training that ignores the init: the negative control
    h = train(m, load_digits(), steps=1, seed=0, batch=32)
    return h.commitment[0] / SMALL["beta"] * SMALL["code_dim"]


def _lower(a: float, b: float) -> bool:
    """`a` is clearly lower than `b` (by a tenth at least: float noise cannot pass it)."""
    return a < 0.9 * b


def test_kmeans_init_starts_with_lower_quantisation_error_than_random() -> None:
    err = {init: _start_error(init) for init in INITS}
    assert _lower(err["kmeans"], err["data"]) and _lower(err["data"], err["random"])
    # the training's own number against a brute-force error of the same k-means on the same first batch
    m = new_model("ema", 0, init="kmeans", **SMALL)
    x = load_digits().train
    first = x[torch.randint(0, x.shape[0], (32,), generator=torch.Generator().manual_seed(0))]
    with torch.no_grad():
        z = m.encode(first)
    book = kmeans(z, 16, torch.Generator().manual_seed(0))
    assert err["kmeans"] == pytest.approx(_brute_error(z.numpy(), book.numpy()), rel=1e-5)
    # negative controls: a training that skips the init starts where random does, and k-means with no
    # iteration is only a sample of the data; neither passes the check above
    assert not _lower(_start_error("kmeans", honour_init=False), err["random"])
    none = _brute_error(z.numpy(), kmeans(z, 16, torch.Generator().manual_seed(0), iters=0).numpy())
    assert not _lower(none, err["data"])


def test_an_unknown_init_is_a_coded_error() -> None:
    with pytest.raises(VQError) as e:
        new_model("ema", 0, init="kmeans++")
    assert e.value.code == "vqvae.init"
