"""engine.recorded: shipped measurements round-trip, say where and when they were taken, and match the settings
the engines define today (a recording of settings that changed since would be shown for the wrong problem)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from engine import recorded


def test_save_and_load_round_trip(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recorded, "ROOT", tmp_path)
    (tmp_path / "topic").mkdir()
    out = recorded.save("topic", "demo", [{"n": 1, "ms": 0.5}], {"n": [1]}, 2.345)
    rec = recorded.load("topic", "demo")
    assert out.exists() and rec.rows == [{"n": 1, "ms": 0.5}] and rec.settings == {"n": [1]}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", rec.date) and rec.seconds == 2.3
    assert rec.machine["cores"] >= 1 and rec.machine["cpu"] and rec.command.startswith("python -m engine.topic.bench")
    assert recorded.load("topic", "missing") is None


def _shipped(topic: str, name: str) -> recorded.Recorded:
    rec = recorded.load(topic, name)
    assert rec is not None, f"engine/{topic}/recorded/{name}.json is not shipped"
    assert rec.rows and rec.seconds > 0 and rec.command == f"python -m engine.{topic}.bench --record"
    return rec


def test_shipped_recordings_match_todays_settings() -> None:
    from engine.attention.compare import DEFAULT_SWEEP
    from engine.numerics.lowbit import RECIPES
    from engine.numerics.training import MODES, RECORDED, RECORDED_LOWBIT
    from engine.search.inspect import RACE_SIZES
    from engine.specdec.generate import METHODS
    from engine.specdec.stats import COMPARE_DEFAULTS, SWEEP_DEFAULTS

    sweep = _shipped("attention", "sweep")
    assert sweep.settings == DEFAULT_SWEEP and [r["n"] for r in sweep.rows] == DEFAULT_SWEEP["ns"]
    for name, cfg in RECORDED.items():
        rec = _shipped("numerics", name)
        assert rec.settings == dataclasses.asdict(cfg) and list(rec.rows[0]) == list(MODES)
        assert all(len(r["losses"]) == cfg.steps for r in rec.rows[0].values())
    for name, cfg in RECORDED_LOWBIT.items():
        rec = _shipped("numerics", name)
        assert rec.settings == dataclasses.asdict(cfg) and len(rec.rows) == cfg.seeds  # one row per seed
        assert all(list(row) == list(RECIPES) and all(len(r["losses"]) == cfg.steps for r in row.values())
                   for row in rec.rows)
    compare, gammas = _shipped("specdec", "compare"), _shipped("specdec", "sweep")
    assert compare.settings == COMPARE_DEFAULTS and [r["method"] for r in compare.rows] == list(METHODS)
    assert gammas.settings == SWEEP_DEFAULTS and [r["gamma"] for r in gammas.rows] == SWEEP_DEFAULTS["gammas"]
    race = _shipped("search", "race-search")
    assert race.settings == {"sizes": RACE_SIZES} and [r["docs"] for r in race.rows] == RACE_SIZES
    assert [r["kind"] for r in _shipped("search", "peers").rows] == ["term", "and", "or", "phrase"]


def test_shipped_keras_comparison_matches_todays_settings() -> None:
    from engine.apiexport.measure import keras_settings, names_by_origin

    rec = _shipped("apiexport", "keras")
    assert rec.settings == keras_settings()  # the wheel and the origins the rows split names into
    assert sum(names_by_origin(rec.rows).values()) == sum(r["found"] for r in rec.rows)


def _ddp_mismatches() -> list[str]:
    """The shipped DDP recordings (three sweeps, three step-time runs) that no longer match the settings the page
    asks for today, or whose rows are not the sizes and methods those settings name."""
    from engine.ddp import bench, measure
    from engine.ddp.allreduce import METHODS

    bad = []
    for n in bench.WORLDS:
        sweep, steps = _shipped("ddp", f"allreduce_n{n}"), _shipped("ddp", f"steps_n{n}")
        want, want_steps = measure.sweep_settings(n), measure.steps_settings(n)
        if sweep.settings != want or sorted({r["elements"] for r in sweep.rows}) != want["sizes"] \
                or {r["method"] for r in sweep.rows} != set(METHODS) or {r["world_size"] for r in sweep.rows} != {n}:
            bad.append(f"allreduce_n{n}")
        if steps.settings != want_steps or sorted({r["params_m"] for r in steps.rows}) != want_steps["sizes_m"] \
                or {r["mode"] for r in steps.rows} != {"every_step", "no_sync"} \
                or {r["micro"] for r in steps.rows} != {want_steps["micro"]}:
            bad.append(f"steps_n{n}")
    return bad


def test_shipped_ddp_recordings_match_todays_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.ddp import bench, measure

    assert _ddp_mismatches() == []
    monkeypatch.setattr(measure, "SWEEP_ROUNDS", measure.SWEEP_ROUNDS + 1)  # negative control: the engine moved on
    monkeypatch.setattr(measure, "MICRO", measure.MICRO * 2)
    assert _ddp_mismatches() == [f"{kind}_n{n}" for n in bench.WORLDS for kind in ("allreduce", "steps")]
