"""The prior over code grids: its masks are causal (with an unmasked negative control), sampling at temperature 0
is argmax decoding, and the shipped prior beats a code-frequency baseline computed here on the held-out digits."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from engine.vqvae.data import load_digits
from engine.vqvae.prior import (
    CodePrior,
    PriorError,
    frequency_bits,
    generate,
    load_prior,
    prior_path,
    raster_mask,
    sample_codes,
)
from engine.vqvae.train import load_shipped


def _leaks(prior: CodePrior, seed: int = 0) -> list[tuple[int, int]]:
    """(changed cell, earlier-or-same cell whose logits moved): changing cell p must leave cells 0..p alone."""
    prior.eval()
    h, w = prior.grid
    g = torch.Generator().manual_seed(seed)
    base = torch.randint(0, prior.codebook_size, (2, h, w), generator=g)
    with torch.no_grad():
        ref = prior(base)
        found = []
        for p in range(h * w):
            moved = base.clone()
            moved.view(2, -1)[:, p] = (moved.view(2, -1)[:, p] + 1) % prior.codebook_size
            diff = (prior(moved) - ref).abs().amax(dim=(0, 1)).reshape(-1)  # per cell
            found += [(p, q) for q in range(p + 1) if diff[q] > 0]
    return found


@pytest.mark.parametrize("grid", [(4, 4), (2, 2), (3, 5)])
def test_the_masks_are_causal(grid) -> None:
    torch.manual_seed(1)
    assert _leaks(CodePrior(16, grid, channels=8, layers=3)) == []


def test_an_unmasked_prior_fails_the_causality_check() -> None:
    torch.manual_seed(1)
    leaks = _leaks(CodePrior(16, (4, 4), channels=8, layers=3, masked=False))
    assert (5, 5) in leaks and (15, 0) in leaks  # a cell reads itself, the first cell reads the last


def test_later_cells_do_read_every_earlier_cell() -> None:
    """No blind spot: the logits of the last cell move when any earlier cell changes (the kernel spans the grid)."""
    torch.manual_seed(2)
    prior = CodePrior(16, (4, 4), channels=8, layers=1).eval()
    base = torch.zeros(1, 4, 4, dtype=torch.long)
    with torch.no_grad():
        ref = prior(base)[0, :, 3, 3]
        for p in range(15):
            moved = base.clone()
            moved.view(-1)[p] = 7
            assert (prior(moved)[0, :, 3, 3] - ref).abs().max() > 0, p


def test_raster_mask_against_a_loop() -> None:
    for include in (False, True):
        m = raster_mask((5, 7), include)
        want = [[float(r < 2 or (r == 2 and (c < 3 or (include and c == 3)))) for c in range(7)] for r in range(5)]
        assert m.tolist() == want


@pytest.fixture(scope="module")
def shipped():
    return load_prior()


def test_temperature_zero_is_argmax_decoding(shipped) -> None:
    prior = shipped.prior
    codes = sample_codes(prior, 4, 0.0, seed=0)
    with torch.no_grad():
        # causal: each cell's logits given the finished grid are those it was drawn from, so greedy means argmax
        assert torch.equal(prior(codes).argmax(1), codes)
    assert (codes == codes[0]).all()  # no randomness left: every grid the same
    assert torch.equal(sample_codes(prior, 4, 1e-4, seed=3), codes)  # the limit T -> 0 of sampling
    hot = sample_codes(prior, 64, 1.0, seed=0)
    assert len({tuple(c.reshape(-1).tolist()) for c in hot}) > 32  # at T = 1 the grids differ
    assert torch.equal(hot, sample_codes(prior, 64, 1.0, seed=0))  # and the seed fixes them


@pytest.mark.slow
def test_first_cell_follows_the_prior_marginal(shipped) -> None:
    """At T = 1 the first cell, which has no context, is drawn from softmax of its logits (total variation over
    2,048 draws; at T = 2 it is not, the negative control)."""
    prior = shipped.prior
    with torch.no_grad():
        p = torch.softmax(prior(torch.zeros(1, 4, 4, dtype=torch.long))[0, :, 0, 0], 0).numpy()

    def tv(temperature: float) -> float:
        draws = torch.cat([sample_codes(prior, 256, temperature, seed=s)[:, 0, 0] for s in range(8)]).numpy()
        return 0.5 * float(np.abs(np.bincount(draws, minlength=len(p)) / len(draws) - p).sum())

    assert tv(1.0) < 0.1 < 0.2 < tv(2.0)


def test_the_shipped_prior_beats_code_frequencies(shipped) -> None:
    vq, _ = load_shipped()[shipped.settings.rule]
    x = load_digits()
    with torch.no_grad():
        train, held = vq(x.train).indices, vq(x.heldout).indices
        logp = torch.log_softmax(shipped.prior(held).double(), 1)  # (b, K, h, w)
    ours = -float(logp.gather(1, held[:, None]).mean()) / math.log(2)
    # the unigram baseline, counted here with numpy from every training digit (add-one smoothing)
    counts = np.bincount(train.numpy().ravel(), minlength=vq.codebook_size) + 1.0
    unigram = -np.log2(counts / counts.sum())[held.numpy().ravel()].mean()
    assert ours < unigram - 0.5, (ours, unigram)
    assert ours < math.log2(vq.codebook_size)
    assert ours == pytest.approx(shipped.log.heldout_bits, abs=1e-4)  # the number the checkpoint records
    assert shipped.log.unigram_bits == pytest.approx(unigram, abs=0.02)  # recorded from the fitting part only
    assert frequency_bits(train, held, vq.codebook_size, per_cell=False) == pytest.approx(unigram, abs=1e-9)
    assert len(shipped.log.train_bits) == shipped.settings.epochs == len(shipped.log.validation_bits)


def test_generate_decodes_the_sampled_grids(shipped) -> None:
    vq, _ = load_shipped()[shipped.settings.rule]
    codes, images = generate(shipped.prior, vq, 6, 0.8, seed=5)
    with torch.no_grad():
        want = vq.decoder(vq.codebook[codes].permute(0, 3, 1, 2)).clamp(0, 1)
    assert torch.equal(images, want) and images.shape == (6, 1, 8, 8)


def test_a_prior_of_another_vqvae_is_refused(shipped, tmp_path) -> None:
    ck = torch.load(prior_path(), weights_only=True)
    ck["meta"]["vqvae_sha256"] = "0" * 64
    torch.save(ck, tmp_path / "stale.pt")
    with pytest.raises(PriorError) as e:
        load_prior(tmp_path / "stale.pt")
    assert e.value.code == "vqvae.prior_stale"


def test_bad_draws_are_refused(shipped) -> None:
    for kw in ({"n": 0, "temperature": 1.0}, {"n": 4, "temperature": -0.1}, {"n": 4, "temperature": 11.0}):
        with pytest.raises(PriorError):
            sample_codes(shipped.prior, seed=0, **kw)
