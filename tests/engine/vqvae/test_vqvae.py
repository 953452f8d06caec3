"""The VQ-VAE engine against brute force and formulas: quantisation, the straight-through identities, the EMA
update, perplexity's bounds, the shipped checkpoints, the 2-D toy and the bits ledger."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.vqvae import VQVAE, codebook_stats, load_digits, quantize, straight_through_check, train
from engine.vqvae.ledger import bits_ledger
from engine.vqvae.model import (
    DEAD_THRESHOLD,
    START_COUNT,
    UPDATES,
    Forward,
    VQError,
    ema_codebook,
    restart_after,
    unpicked_half_life,
)
from engine.vqvae.toy import ToyError, toy_run
from engine.vqvae.train import (
    SEEDS,
    SHIPPED,
    load,
    load_seed_table,
    load_shipped,
    new_model,
    perplexity,
    save,
    seed_table_settings,
    spread,
)


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
    assert st_.identical and st_.holds and torch.equal(st_.grad_z_e, st_.grad_z_q)
    assert float(st_.grad_z_e.abs().max()) > 0
    assert torch.count_nonzero(st_.codebook_grad_from_reconstruction) == 0
    assert st_.commitment_grad_encoder > 0 and st_.commitment_grad_decoder == 0 and st_.commitment_grad_codebook == 0
    # the gradients are the model's own: the same as backpropagating its forward's reconstruction loss by hand
    out = m(x)
    assert torch.equal(torch.autograd.grad(out.reconstruction, out.z_e)[0], st_.grad_z_e)
    assert torch.equal(st_.indices, out.indices)
    assert m.codebook.requires_grad == (update == "loss")  # an EMA codebook is a buffer again after the check


class NoStraightThrough(VQVAE):
    """A broken VQ-VAE: its decoder reads the codebook vectors themselves, so nothing flows back to the encoder
    from the reconstruction (the bug the straight-through estimator exists to avoid)."""

    def __init__(self, detach: bool = False, **kw) -> None:
        super().__init__(**kw)
        self.detach = detach

    def forward(self, x: torch.Tensor) -> Forward:
        z_e = self.encode(x)
        q = quantize(z_e.detach(), self.codebook.detach())
        z_q = self.codebook[q.indices]
        z_in = z_q.detach() if self.detach else z_q  # the decoder's input: no path back to the encoder
        recon = self.decode_rows(z_in, x.shape[0])
        codebook = F.mse_loss(z_q, z_e.detach()) if self.update == "loss" else z_e.new_zeros(())
        return Forward(recon, z_e, z_q.detach(), z_in, q.indices.reshape(x.shape[0], *self.grid),
                       F.mse_loss(recon, x), codebook, self.beta * F.mse_loss(z_e, z_q.detach()))


@pytest.mark.parametrize("update", UPDATES)
@pytest.mark.parametrize("detach", [False, True])
def test_a_forward_without_the_straight_through_path_is_reported_broken(update: str, detach: bool) -> None:
    torch.manual_seed(3)
    m = NoStraightThrough(detach=detach, update=update)
    st_ = straight_through_check(m, load_digits().train[:32])
    assert not st_.identical and not st_.holds
    assert float(st_.grad_z_e.abs().max()) == 0  # the encoder receives nothing from the reconstruction
    if update == "loss" and not detach:
        assert torch.count_nonzero(st_.codebook_grad_from_reconstruction) > 0  # the codebook gets it instead


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


def test_an_unpicked_ema_code_stays_then_shrinks_towards_the_origin() -> None:
    """With Laplace smoothing a code nobody picks keeps its place only while its decayed count is well above ε."""
    k, gamma, eps = 4, 0.99, 1e-5
    count, total = torch.ones(k, dtype=torch.float64), torch.randn(k, 3, dtype=torch.float64)
    start = total[1].clone()
    batch_counts = torch.tensor([10.0, 0.0, 5.0, 5.0], dtype=torch.float64)  # code 1 is never picked
    batch_sums = torch.randn(k, 3, dtype=torch.float64) * batch_counts[:, None]
    length = {}
    for t in range(1, 1501):
        new = ema_codebook(count, total, batch_counts, batch_sums, gamma, eps)
        assert torch.allclose(new[1] / new[1].norm(), start / start.norm())  # it only ever moves along its line
        length[t] = float(new[1].norm() / start.norm())
    # the closed form: e_1 = γ^t·m / Ñ with Ñ = (γ^t + ε)·ΣN / (ΣN + Kε)
    for t in (100, 1000, unpicked_half_life(gamma, eps), 1500):
        assert length[t] == pytest.approx(gamma**t / (gamma**t + eps), rel=2e-3), t
    assert length[100] > 0.9999 and 0.80 < length[1000] < 0.82  # the docstring's 81 % after 1,000 unused steps
    assert length[unpicked_half_life(gamma, eps)] == pytest.approx(0.5, abs=0.01) and length[1500] < 0.03
    assert unpicked_half_life(gamma, eps) == 1146


@pytest.mark.parametrize(("decay", "threshold"), [(0.99, 0.5), (0.9, 0.5), (0.999, 0.5), (0.99, 0.1), (0.95, 0.9)])
def test_restart_after_counts_the_unpicked_batches(decay: float, threshold: float) -> None:
    count, t = START_COUNT, 0
    while count >= threshold:  # brute force: decay a count until it is below the threshold
        count *= decay
        t += 1
    assert restart_after(decay, threshold) == t


def test_no_code_restarts_at_step_zero_and_an_unpicked_code_restarts_on_schedule() -> None:
    torch.manual_seed(0)
    m = VQVAE(update="ema_restart")
    x = load_digits().train[:128]
    with torch.no_grad():
        out = m(x)
    assert m.ema_step(out.z_e, out.indices) == 0  # the threshold lies below every code's starting count
    m = VQVAE(codebook_size=8, code_dim=2, update="ema_restart")
    z, picked = torch.randn(16, 2), torch.zeros(16, dtype=torch.long)  # only code 0 is ever picked
    restarts = [m.ema_step(z, picked) for _ in range(restart_after(m.ema_decay, DEAD_THRESHOLD))]
    assert restarts[:-1] == [0] * (len(restarts) - 1) and restarts[-1] == 7
    assert torch.equal(m.ema_count[1:], torch.full((7,), START_COUNT))  # back at the start: as long again


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
                     ({"beta": -1}, "vqvae.beta"), ({"dead_threshold": START_COUNT}, "vqvae.dead")]:
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


def test_the_shipped_seed_table_matches_todays_settings_and_the_checkpoints() -> None:
    table = load_seed_table()
    assert table is not None and table["settings"] == seed_table_settings() and table["seeds"] == list(SEEDS)
    assert table["command"].startswith("python -m engine.vqvae.train")
    rows = table["rows"]
    assert sorted((r["rule"], r["seed"]) for r in rows) == sorted((u, s) for u in UPDATES for s in SEEDS)
    x = load_digits()
    for u, (m, _) in load_shipped().items():  # seed 0's row is what its shipped checkpoint measures now
        row = next(r for r in rows if r["rule"] == u and r["seed"] == SHIPPED.seed)
        st_ = codebook_stats(m, x)
        assert row["codes_used"] == st_.codes_used and row["mse"] == pytest.approx(st_.mse, rel=1e-5)
        assert row["perplexity"] == pytest.approx(st_.perplexity, rel=1e-5)
    sp = spread(rows)
    for u in UPDATES:
        used = [r["codes_used"] for r in rows if r["rule"] == u]
        assert (sp[u]["codes_used"].lo, sp[u]["codes_used"].hi) == (min(used), max(used))
        assert sp[u]["codes_used"].mean == pytest.approx(sum(used) / len(used))
    for s_ in SEEDS:  # on every seed, restarts keep (nearly) every code alive, and more than either other rule
        used = {r["rule"]: r["codes_used"] for r in rows if r["seed"] == s_}
        assert used["ema_restart"] >= 0.95 * SHIPPED.codebook_size
        assert used["ema_restart"] > max(used["loss"], used["ema"])


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
