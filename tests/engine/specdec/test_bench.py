"""The benchmark runs end to end on the tiny model and reports what the issue's goals are stated in."""

from __future__ import annotations

import json

import pytest

from engine.specdec import Models
from engine.specdec.bench import run


@pytest.mark.slow
def test_bench_reports_every_method_and_the_formula(tiny: Models) -> None:
    out = run(tiny, prompts=("def ",), rounds=1, gamma=2, max_new_tokens=30, sweep=(1, 2))
    json.dumps(out)  # plain data
    for label in ("t1", "greedy"):
        rows = out["temperatures"][label]
        for m in ("speculative", "medusa", "mtp", "lookup"):
            assert rows[m]["tokens"] == 30 and rows[m]["speedup_median"] > 0
            assert rows[m]["target_calls"] <= rows[m]["baseline_target_calls"]
        spec = rows["speculative"]
        # per position: each pass emits its accepted drafts plus one, so they add up to tokens per pass − 1
        assert sum(spec["accepted_per_draft_by_position"]) == pytest.approx(spec["tokens_per_verify"] - 1)
        assert len(spec["acceptance_by_position"]) == 2 and all(0 <= a <= 1 for a in spec["acceptance_by_position"])
        assert spec["draft_cost_median"] > 0 and spec["verify_cost_median"] > 0
        assert spec["formula_gamma"] == 2 and spec["formula_tokens_per_verify"] == pytest.approx(
            1 + spec["alpha"] + spec["alpha"] ** 2)
    assert out["temperatures"]["greedy"]["greedy_outputs_identical"] is True
    assert [r["gamma"] for r in out["gamma_sweep_t1"]] == [1, 2]
    assert out["target_params"] > out["draft_params"] > 0
