"""The published recipes' parts as toggles of the fake-quantised linear layer (issue #35): square weight tiles serve
both GEMMs, the Hadamard rotation of dW's inputs cancels in the product (checked against the exact dYᵀ·X) and
lowers MXFP4's error on outlier tokens, stochastic gradient rounding is unbiased where nearest is not, and the last
block can be kept in BF16."""

from __future__ import annotations

import math

import pytest
import torch

from engine.numerics.blocks import fake_quantize
from engine.numerics.lowbit import PUBLISHED, Parts, apply_recipe
from engine.numerics.tinylm import TinyGPT, TinyGPTConfig
from engine.numerics.training import train_run


def _layer(recipe: str, parts: Parts, seed: int = 0) -> torch.nn.Linear:
    torch.manual_seed(seed)
    lin = torch.nn.Linear(64, 48)
    holder = torch.nn.Module()
    holder.blocks = torch.nn.ModuleList([torch.nn.Module()])
    holder.blocks[0].lin = lin
    apply_recipe(holder, recipe, parts)
    return lin


def test_square_weight_tiles_are_one_quantised_weight_for_both_gemms() -> None:
    lin = _layer("nvfp4", Parts(weight_tiles=True))
    w = lin.weight.detach().clone()
    x = torch.randn(32, 64, requires_grad=True)
    y = lin(x)
    gy = torch.randn_like(y)
    y.backward(gy)
    wq = fake_quantize(w, "nvfp4", "weight", -1, block=(16, 16))
    assert torch.equal(wq.T, fake_quantize(w.T, "nvfp4", "weight", -1, block=(16, 16)))  # W and Wᵀ alike
    assert torch.equal(y.detach(), fake_quantize(x.detach(), "nvfp4", "activation", -1) @ wq.T + lin.bias.detach())
    assert torch.equal(x.grad, fake_quantize(gy, "nvfp4", "gradient", -1) @ wq)
    assert not torch.equal(wq, fake_quantize(w, "nvfp4", "weight", -1))  # 1×16 blocks differ: the toggle matters


def _wgrad(recipe: str, parts: Parts, x: torch.Tensor, gy: torch.Tensor) -> torch.Tensor:
    lin = _layer(recipe, parts)
    lin(x).backward(gy)
    return lin.weight.grad


def test_the_rotation_cancels_in_dw_and_helps_mxfp4_on_outlier_tokens() -> None:
    g = torch.Generator().manual_seed(3)
    x = torch.randn(64, 64, generator=g)
    gy = torch.randn(64, 48, generator=g)
    gy[[5, 40]] *= 50  # two tokens whose gradients stand out, as a few tokens' often do
    exact = gy.double().T @ x.double()
    close = _wgrad("bf16", Parts(hadamard_wgrad=True), x, gy).double()
    assert (close - exact).norm() / exact.norm() < 1e-2  # the rotation cancels: bf16 error only
    err = {h: float((_wgrad("mxfp4", Parts(hadamard_wgrad=h), x, gy).double() - exact).norm() / exact.norm())
           for h in (False, True)}
    assert err[True] < 0.9 * err[False], err  # measured: 0.186 without, 0.157 with


def test_stochastic_gradient_rounding_is_unbiased_where_nearest_is_not() -> None:
    g = torch.randn(16, 32, generator=torch.Generator().manual_seed(0))
    torch.manual_seed(0)
    n = 500
    mean = sum(fake_quantize(g, "mxfp4", "gradient", -1, stochastic=True).double() for _ in range(n)) / n
    nearest = fake_quantize(g, "mxfp4", "gradient", -1).double()
    bias_sr = float((mean - g.double()).abs().mean())
    bias_rn = float((nearest - g.double()).abs().mean())
    # each draw's error is at most one element step; the mean's is about step / (2√n) on average
    assert bias_sr < bias_rn / 5, (bias_sr, bias_rn)
    one = fake_quantize(g, "mxfp4", "gradient", -1, stochastic=True)
    assert not torch.equal(one, nearest.float()) and torch.isfinite(one).all()


def test_the_last_block_can_stay_in_bf16() -> None:
    model = TinyGPT(TinyGPTConfig())
    names = apply_recipe(model, "nvfp4", PUBLISHED["nvfp4"])
    kinds = {n: dict(model.named_modules())[n].forward.args[1] for n in names}
    assert {k for n, k in kinds.items() if n.startswith("blocks.1.")} == {"bf16"}
    assert {k for n, k in kinds.items() if n.startswith("blocks.0.")} == {"nvfp4"}
    with pytest.raises(ValueError):
        apply_recipe(model, "nvfp5")


@pytest.mark.slow
@pytest.mark.parametrize("recipe", list(PUBLISHED))
def test_a_few_steps_of_each_published_recipe(recipe: str) -> None:
    cfg = TinyGPTConfig(context=16, width=32, layers=2, heads=2)
    r = train_run("fp32", steps=3, seed=0, config=cfg, batch=4, recipe=recipe, parts=PUBLISHED[recipe])
    assert len(r.losses) == 3 and all(math.isfinite(v) for v in r.losses)


def test_parts_by_name_and_the_runs_of_an_ablation() -> None:
    from engine.numerics.lowbit import parts_of
    from engine.numerics.training import recipe_runs

    assert parts_of([]) == Parts() and parts_of(["high_precision_last"]) == Parts(high_precision_last=1)
    assert parts_of(["weight_tiles", "hadamard_wgrad", "stochastic_grads", "high_precision_last"]) == PUBLISHED["nvfp4"]
    with pytest.raises(ValueError):
        parts_of(["tiles"])
    assert list(recipe_runs(("fp32", "bf16", "nvfp4"))) == ["fp32", "bf16", "nvfp4"]
    runs = recipe_runs(("fp32", "bf16", "nvfp4", "mxfp4"), Parts(stochastic_grads=True))
    assert list(runs) == ["fp32", "bf16", "nvfp4", "mxfp4", "nvfp4+", "mxfp4+"]  # the unquantised run once
    assert runs["nvfp4+"] == {"mode": "fp32", "recipe": "nvfp4", "parts": Parts(stochastic_grads=True)}


def test_the_shipped_published_recording_matches_todays_settings() -> None:
    import dataclasses

    from engine import recorded
    from engine.numerics.published import RECORDED_PUBLISHED, VARIANTS, PublishedSettings

    rec = recorded.load("numerics", RECORDED_PUBLISHED)
    cfg = PublishedSettings()
    assert rec is not None and rec.settings == dataclasses.asdict(cfg) and len(rec.rows) == cfg.seeds
    assert rec.command == "python -m engine.numerics.bench --record-published" and rec.seconds > 0
    assert all(list(row) == list(VARIANTS) and all(len(r["losses"]) == cfg.steps for r in row.values())
               for row in rec.rows)
