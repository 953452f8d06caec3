"""The settings object of a training (RunSettings): frozen and hashable (a cache key), and `run(settings)` the
same training as the keyword form `train_rules(x, **kw)`, bit for bit; the shipped records still match."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from engine.vqvae import load_digits
from engine.vqvae.train import SHIPPED, RunSettings, Trained, run, seed_table_settings, train_rules

TINY = RunSettings(steps=3, seed=5, codebook_size=8, code_dim=4, grid=(2, 2), beta=0.5, ema_decay=0.9, width=8,
                   batch=16, lr=1e-3)
KEYWORDS = {"updates": ("loss", "ema", "ema_restart"), "steps": 3, "seed": 5, "batch": 16, "lr": 1e-3,
            "codebook_size": 8, "code_dim": 4, "grid": (2, 2), "beta": 0.5, "ema_decay": 0.9, "width": 8}


def _same(a: dict[str, Trained], b: dict[str, Trained]) -> bool:
    """Every rule's weights and buffers bitwise equal, and its per-step history equal (but the seconds)."""
    def plain(t: Trained) -> dict:
        return {k: v for k, v in t.history.as_dict().items() if k != "seconds"}

    return a.keys() == b.keys() and all(
        a[u].model.state_dict().keys() == b[u].model.state_dict().keys()
        and all(torch.equal(v, b[u].model.state_dict()[k]) for k, v in a[u].model.state_dict().items())
        and plain(a[u]) == plain(b[u]) for u in a)


def test_the_object_form_and_the_keyword_form_train_the_same_models() -> None:
    x = load_digits()
    by_object, by_keywords = run(TINY, x), train_rules(x, **KEYWORDS)
    assert _same(by_object, by_keywords)
    m, h = by_object["ema"]  # still a (model, history) pair, and each setting reached the model and the batches
    assert isinstance(by_object["ema"], Trained) and by_object["ema"].model is m
    assert m.config() == {"codebook_size": 8, "code_dim": 4, "grid": [2, 2], "update": "ema", "beta": 0.5,
                          "ema_decay": 0.9, "width": 8, "dead_threshold": SHIPPED.dead_threshold}
    assert h.batch_tokens == 16 * 2 * 2 and len(h.reconstruction) == 3
    # negative control: the comparison sees a setting that differs (here only the learning rate)
    assert not _same(run(dataclasses.replace(TINY, lr=2e-3), x), by_keywords)


def test_settings_are_frozen_hashable_and_compare_by_value() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        TINY.steps = 4  # type: ignore[misc]
    assert RunSettings() == SHIPPED and hash(RunSettings()) == hash(SHIPPED)
    assert {("vqvae", TINY): 1}[("vqvae", dataclasses.replace(SHIPPED, **dataclasses.asdict(TINY)))] == 1
    assert dataclasses.replace(SHIPPED, init="kmeans") != SHIPPED


def test_the_shipped_records_name_the_same_settings_as_before() -> None:
    """The fields added to RunSettings are named in a record only where they differ from their default."""
    assert seed_table_settings() == {"steps": 1500, "codebook_size": 64, "code_dim": 16, "grid": [4, 4], "beta": 0.25,
                                     "ema_decay": 0.99, "dead_threshold": 0.5, "start_count": 1.0}
    assert seed_table_settings(dataclasses.replace(SHIPPED, init="kmeans"))["init"] == "kmeans"
    assert seed_table_settings(dataclasses.replace(SHIPPED, lr=1e-3)) != seed_table_settings()
