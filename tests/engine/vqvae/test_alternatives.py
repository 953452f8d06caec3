"""FSQ and the rotation trick inside the page's VQ-VAE: the rotation model is the codebook-loss model with only the
estimator changed (same weights from a seed, same output, another encoder gradient); the FSQ model's indices
decode to exactly what it reconstructs; the gap ‖z_q − z_e‖ is recorded every step."""

from __future__ import annotations

import pytest
import torch

from engine.vqvae.alternatives import FSQ_LEVELS, FSQVAE, curve, new_alternative
from engine.vqvae.data import load_digits
from engine.vqvae.quantizers import fsq
from engine.vqvae.train import SHIPPED, train


def _batch(n: int = 16) -> torch.Tensor:
    return load_digits().images[:n]


def test_rotation_changes_only_the_gradient_the_encoder_receives():
    kw = SHIPPED.model_kwargs()
    loss, rot = new_alternative("loss", 3, **kw), new_alternative("rotation", 3, **kw)
    for a, b in zip(loss.state_dict().values(), rot.state_dict().values(), strict=True):
        assert torch.equal(a, b)  # the same seed, the same starting weights
    x = _batch()
    out_l, out_r = loss(x), rot(x)
    assert torch.allclose(out_l.recon, out_r.recon, atol=1e-5)  # the decoder reads z_q either way
    assert torch.equal(out_l.indices, out_r.indices)
    g_l = torch.autograd.grad(out_l.reconstruction, out_l.z_e)[0]
    g_r = torch.autograd.grad(out_r.reconstruction, out_r.z_e)[0]
    assert not torch.allclose(g_l, g_r, atol=1e-6)  # what differs: the gradient reaching the encoder
    # the norms are rescaled by ‖z_q‖/‖z_e‖ row by row (a rotation keeps lengths)
    ratio = out_r.z_q.norm(dim=1) / out_r.z_e.detach().norm(dim=1)
    assert torch.allclose(g_r.norm(dim=1), g_l.norm(dim=1) * ratio, rtol=1e-3, atol=1e-9)


def test_fsq_model_indices_decode_to_its_reconstruction():
    m = new_alternative("fsq", 0, **SHIPPED.model_kwargs())
    assert isinstance(m, FSQVAE) and m.codebook_size == 64 and m.code_dim == len(FSQ_LEVELS)
    x = _batch()
    with torch.no_grad():
        out = m(x)
        _, idx = fsq(m.encode(x), FSQ_LEVELS)
        assert torch.equal(out.indices.reshape(-1), idx)
        assert torch.allclose(m.decode_indices(out.indices), out.recon, atol=1e-6)
    assert float(out.codebook) == 0 and float(out.commitment) == 0


@pytest.mark.slow  # Adam's first step imports a good deal of torch: seconds on a busy machine
def test_training_records_the_gap_every_step_and_the_curve_averages_it():
    m = new_alternative("rotation", 0, **SHIPPED.model_kwargs())
    h = train(m, load_digits(), steps=4, seed=0, batch=16)
    assert len(h.gap) == 4 and all(g > 0 for g in h.gap)
    assert curve([1.0, 2.0, 3.0, 4.0, 5.0], every=2) == [1.5, 3.5, 5.0]


def test_the_shipped_study_trained_the_three_rules_as_the_seed_table_did():
    """The study retrains the page's three rules beside the two new ones: from the same seeds they must land where
    the shipped seed table (trained by engine.vqvae.train) says, or the comparison is not like for like."""
    from engine.vqvae.alternatives import load_study
    from engine.vqvae.train import load_seed_table

    study, seeds = load_study(), load_seed_table()
    if study is None or seeds is None:
        pytest.skip("no shipped study or seed table")
    table = {(r["rule"], r["seed"]): r for r in seeds["rows"]}
    compared = 0
    for r in study["rows"]:
        ref = table.get((r["rule"], r["seed"]))
        if ref is not None:
            assert r["codes_used"] == ref["codes_used"] and abs(r["mse"] - ref["mse"]) < 1e-6, r["rule"]
            compared += 1
    assert compared >= 3
    assert {r["rule"] for r in study["rows"]} >= {"rotation", "fsq"}
