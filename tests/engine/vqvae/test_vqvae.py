"""The VQ-VAE engine against brute force and formulas: quantisation, the straight-through identities, the EMA
update, perplexity's bounds, the shipped checkpoints, the 2-D toy and the bits ledger."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.vqvae import VQVAE, codebook_stats, load_digits, quantize, straight_through_check, train
from engine.vqvae.ledger import bits_ledger
from engine.vqvae.model import UPDATES, VQError, ema_codebook
from engine.vqvae.toy import ToyError, toy_run
from engine.vqvae.train import SHIPPED, load, load_shipped, new_model, perplexity, save


def test_digits_are_the_real_set_with_a_fixed_split() -> None:
    x = load_digits()
    assert len(x) == 1797 and x.images.shape == (1797, 1, 8, 8)
    assert float(x.images.min()) == 0.0 and float(x.images.max()) == 1.0
    assert sorted(x.labels.unique().tolist()) == list(range(10))
    assert len(x.train) + len(x.heldout) == 1797 and len(x.heldout) == 359
    assert not set(x.train_idx.tolist()) & set(x.heldout_idx.tolist())
    # pixel values are counts 0..16 over 16
    assert torch.equal(torch.round(x.images * 16), x.images * 16)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 40), st.integers(2, 30), st.integers(1, 8), st.integers(0, 10_000))
def test_quantize_matches_brute_force(n: int, k: int, d: int, seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    z, book = torch.randn(n, d, generator=g, dtype=torch.float64), torch.randn(k, d, generator=g, dtype=torch.float64)
    q = quantize(z, book)
    brute = ((z[:, None, :] - book[None, :, :]) ** 2).sum(-1)
    assert torch.allclose(q.distances, brute, atol=1e-10)
    assert torch.equal(q.indices, brute.argmin(1)) and torch.equal(q.vectors, book[brute.argmin(1)])


@pytest.mark.parametrize("update", UPDATES)
def test_straight_through_identities_hold_exactly(update: str) -> None:
    m = new_model(update, seed=3)
    x = load_digits().train[:32]
    st_ = straight_through_check(m, x)
    assert st_.identical and torch.equal(st_.grad_z_e, st_.grad_z_q)
    assert float(st_.grad_z_e.abs().max()) > 0
    assert torch.count_nonzero(st_.codebook_grad_from_reconstruction) == 0
    assert st_.commitment_grad_encoder > 0 and st_.commitment_grad_decoder == 0 and st_.commitment_grad_codebook == 0


def test_ema_update_is_the_papers_formula_with_laplace_smoothing() -> None:
    count, total = torch.tensor([1.0, 1.0, 1.0]), torch.tensor([[1.0, 0.0], [0.0, 1.0], [5.0, 5.0]])
    n_b, s_b = torch.tensor([4.0, 0.0, 2.0]), torch.tensor([[8.0, 4.0], [0.0, 0.0], [2.0, 2.0]])
    g, eps = 0.9, 1e-5
    new = ema_codebook(count, total, n_b, s_b, g, eps)
    want_n = torch.tensor([0.9 + 0.4, 0.9, 0.9 + 0.2])
    want_m = torch.tensor([[0.9 + 0.8, 0.4], [0.0, 0.9], [4.5 + 0.2, 4.5 + 0.2]])
    smooth = (want_n + eps) / (want_n.sum() + 3 * eps) * want_n.sum()
    assert torch.allclose(count, want_n) and torch.allclose(total, want_m)
    assert torch.allclose(new, want_m / smooth[:, None])
    assert torch.allclose(new[1], torch.tensor([0.0, 1.0]), atol=1e-4)  # an unchosen code stays where it was


def test_dead_codes_restart_from_encoder_outputs() -> None:
    m = VQVAE(codebook_size=8, code_dim=2, update="ema_restart", dead_threshold=0.5)
    m.ema_count.fill_(0.1)
    m.ema_count[0] = 10.0
    z = torch.randn(16, 2)
    restarted = m.ema_step(z, torch.zeros(16, dtype=torch.long))
    assert restarted == 7
    assert all(any(torch.equal(m.codebook[i], r) for r in z) for i in range(1, 8))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 15), min_size=1, max_size=200))
def test_perplexity_lies_between_one_and_the_codes_used(codes: list[int]) -> None:
    idx = torch.tensor(codes)
    p = perplexity(idx, 16)
    used = len(set(codes))
    assert 1 - 1e-9 <= p <= min(16, len(codes), used) + 1e-9
    if all(codes.count(c) == codes.count(codes[0]) for c in set(codes)):
        assert p == pytest.approx(used)


def test_bad_settings_are_coded_errors() -> None:
    for kw, code in [({"update": "kmeans"}, "vqvae.update"), ({"grid": (3, 3)}, "vqvae.grid"),
                     ({"codebook_size": 1}, "vqvae.size"), ({"ema_decay": 1.0}, "vqvae.decay"),
                     ({"beta": -1}, "vqvae.beta")]:
        with pytest.raises(VQError) as e:
            VQVAE(**kw)
        assert e.value.code == code
    with pytest.raises(VQError, match="1–5000"):
        train(VQVAE(), torch.zeros(4, 1, 8, 8), steps=0)


def test_shipped_checkpoints_load_safely_and_reproduce_the_collapse_study() -> None:
    x = load_digits()
    runs = load_shipped()
    stats = {u: codebook_stats(m, x) for u, (m, _) in runs.items()}
    assert stats["ema_restart"].usage_fraction >= 0.95 and stats["loss"].usage_fraction <= 0.30
    assert stats["loss"].mse > stats["ema"].mse > stats["ema_restart"].mse
    for m, h in runs.values():
        assert m.config()["grid"] == list(SHIPPED.grid) and len(h.reconstruction) == SHIPPED.steps
        assert h.batch_tokens == 128 * 16 and max(h.perplexity) <= min(m.codebook_size, h.batch_tokens)


def test_a_checkpoint_round_trips(tmp_path) -> None:
    m = new_model("ema", seed=1, codebook_size=16, grid=(2, 2))
    h = train(m, load_digits().train[:64], steps=5, batch=16)
    save(m, h, tmp_path / "m.pt")
    m2, h2 = load(tmp_path / "m.pt")
    x = load_digits().heldout[:8]
    assert torch.equal(m(x).recon, m2(x).recon) and h2.reconstruction == h.reconstruction


def test_a_short_training_learns_and_restarts_keep_codes_alive() -> None:
    x = load_digits()
    base = codebook_stats(new_model("ema_restart", seed=0), x)
    m = new_model("ema_restart", seed=0)
    h = train(m, x, steps=150, seed=0)
    st_ = codebook_stats(m, x)
    assert st_.mse < base.mse and h.reconstruction[-1] < h.reconstruction[0]
    plain = new_model("loss", seed=0)
    train(plain, x, steps=150, seed=0)
    assert st_.codes_used > 2 * codebook_stats(plain, x).codes_used and sum(h.restarts) > 0


def test_toy_kmeans_is_lloyds_algorithm() -> None:
    t = toy_run("kmeans", steps=8)
    for a, b in zip(t.steps, t.steps[1:], strict=False):
        assert b.distortion <= a.distortion + 1e-6  # Lloyd's iterations never increase the distortion
        for j in range(len(a.counts)):
            chosen = t.points[a.assign == j]
            if len(chosen):
                assert torch.allclose(b.codebook[j], chosen.mean(0), atol=1e-5)
            else:
                assert torch.equal(b.codebook[j], a.codebook[j])  # a dead code does not move
    assert t.steps[-1].dead  # the far-away start leaves codes dead
    revived = toy_run("ema_restart", steps=8)
    assert not revived.steps[-1].dead and revived.steps[-1].distortion < t.steps[-1].distortion
    with pytest.raises(ToyError):
        toy_run("kmeans", steps=10_000)


def test_bits_ledger() -> None:
    rows = {r.what: r for r in bits_ledger((4, 4), 64, usage=[1] * 64)}
    assert rows["pixels"].bits == pytest.approx(64 * math.log2(17)) and rows["nibbles"].bits == 256
    assert rows["codes"].bits == 96 and rows["entropy"].bits == pytest.approx(96)
    assert bits_ledger((2, 2), 16)[2].bits == 16
