"""The shipped K-scaling sweep (engine/vqvae/recorded/ksweep.json): made by the bench with today's settings, every
(K, rule) present, and its K = 64 rows the same trainings as the shipped checkpoints and seed table."""

from __future__ import annotations

import re

import pytest

from engine import recorded
from engine.vqvae.ksweep import K_RULES, K_SWEEP, RECORDING, ksweep_settings, load_ksweep
from engine.vqvae.train import SHIPPED, load_seed_table


def test_the_sweep_ships_with_todays_settings() -> None:
    rec = load_ksweep()
    assert rec is not None, "run python -m engine.vqvae.bench --k-sweep --record"
    assert rec.command == "python -m engine.vqvae.bench --k-sweep --record" and rec.seconds > 0
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", rec.date) and rec.machine["cpu"]
    assert sorted((r["k"], r["rule"]) for r in rec.rows) == sorted((k, u) for k in K_SWEEP for u in K_RULES)
    assert all(1 <= r["codes_used"] <= r["k"] and r["perplexity"] <= r["codes_used"] + 1e-6 for r in rec.rows)
    # a recording of other settings is not shown (the negative control of load_ksweep)
    assert recorded.matching("vqvae", [RECORDING], ksweep_settings(steps=SHIPPED.steps + 1)) is None
    assert recorded.matching("vqvae", [RECORDING], ksweep_settings(ks=K_SWEEP[:-1])) is None


def test_k64_is_the_shipped_training() -> None:
    """At K = 64 the sweep trains exactly what the seed table's seed 0 did: the same codes used, the same MSE."""
    rows = {r["rule"]: r for r in load_ksweep().rows if r["k"] == SHIPPED.codebook_size}
    table = {r["rule"]: r for r in load_seed_table()["rows"] if r["seed"] == SHIPPED.seed}
    for u in K_RULES:
        assert rows[u]["codes_used"] == table[u]["codes_used"]
        assert rows[u]["mse"] == pytest.approx(table[u]["mse"], rel=0.05)
