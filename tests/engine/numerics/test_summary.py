"""What the training comparisons say: spreads and verdicts against hand-worked numbers, the per-seed runs
against single runs, the loss-scaling effect, and autocast's placement against its documented op lists."""

from __future__ import annotations

import statistics

import pytest
import torch

from engine.numerics.summary import autocast_placement, mean_curves, recipe_spreads, scaling_effect
from engine.numerics.tinylm import TinyGPTConfig
from engine.numerics.training import RunResult, compare_recipes_over_seeds, train_run

TINY = TinyGPTConfig(context=16, width=32, layers=1, heads=2)


def run(name: str, final: float, zeros: float = 0.0) -> RunResult:
    """A run whose final loss (mean of the last tenth of 10 steps: the last step) is `final`."""
    return RunResult(name, [9.0] * 9 + [final], [], zero_grad_fraction=[zeros] * 10)


def test_spreads_and_verdicts_by_hand() -> None:
    per_seed = [{"fp32": run("fp32", 2.0), "a": run("a", 2.1), "b": run("b", 1.9), "c": run("c", 2.05)},
                {"fp32": run("fp32", 2.2), "a": run("a", 2.25), "b": run("b", 2.1), "c": run("c", 2.15)},
                {"fp32": run("fp32", 2.1), "a": run("a", 2.3), "b": run("b", 2.0), "c": run("c", 2.1)}]
    rows = {r.recipe: r for r in recipe_spreads(per_seed)}
    assert [r.recipe for r in recipe_spreads(per_seed)] == ["b", "c", "fp32", "a"]  # lowest mean first
    assert rows["a"].mean == pytest.approx(statistics.mean([2.1, 2.25, 2.3]))
    assert rows["a"].std == pytest.approx(statistics.stdev([2.1, 2.25, 2.3]))
    assert rows["a"].gaps == pytest.approx([0.1, 0.05, 0.2]) and rows["a"].verdict == "behind"
    assert rows["b"].verdict == "ahead" and rows["b"].gap == pytest.approx(-0.1)
    assert rows["c"].gaps == pytest.approx([0.05, -0.05, 0.0]) and rows["c"].verdict == "within"
    assert rows["fp32"].verdict == "base"
    one = {r.recipe: r for r in recipe_spreads(per_seed[:1])}
    assert one["a"].verdict == "one_seed" and one["a"].std == 0.0
    without_base = recipe_spreads([{k: v for k, v in s.items() if k != "fp32"} for s in per_seed])
    assert all(r.gaps is None and r.verdict is None for r in without_base)
    assert mean_curves(per_seed)["a"].losses[-1] == pytest.approx(statistics.mean([2.1, 2.25, 2.3]))


def test_each_seed_is_a_run_of_its_own_seed() -> None:
    per_seed = compare_recipes_over_seeds(("fp32", "mxfp4"), seeds=2, steps=3, lr=3e-3, config=TINY, batch=2)
    assert len(per_seed) == 2 and all(list(s) == ["fp32", "mxfp4"] for s in per_seed)
    for seed in (0, 1):
        alone = train_run("fp32", steps=3, seed=seed, config=TINY, batch=2, recipe="mxfp4")
        assert per_seed[seed]["mxfp4"].losses == alone.losses
    assert per_seed[0]["fp32"].losses != per_seed[1]["fp32"].losses  # other weights, other batches


def test_scaling_effect_by_hand() -> None:
    e = scaling_effect({"fp32": run("fp32", 2.0, 0.1), "fp16": run("fp16", 2.3, 0.4), "fp16_scaled": run("s", 2.1)})
    assert (e.fp32, e.fp16, e.scaled, e.zeros_fp16) == (2.0, 2.3, 2.1, 0.4) and e.gain == pytest.approx(0.2)
    assert scaling_effect({"fp32": run("fp32", 2.0)}) is None


def test_autocast_placement_on_the_cpu() -> None:
    """torch's CPU autocast runs linear and attention in the low dtype; this model's layer norms see the float32
    residual stream and its loss is computed from float32 logits. Without autocast, everything is float32."""
    cpu = torch.device("cpu")
    assert autocast_placement("fp32", cpu, TINY) == dict.fromkeys(("linear", "attention", "layer_norm", "loss"),
                                                                   "float32")
    half = autocast_placement("fp16", cpu, TINY)
    assert half == {"linear": "float16", "attention": "float16", "layer_norm": "float32", "loss": "float32"}
    assert autocast_placement("bf16", cpu, TINY)["linear"] == "bfloat16"
