"""Simulated low-precision training: the fake-quantised linear layer's three GEMMs, checked by hand, and a
short run per recipe; the block-scaling study on captured tensors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from engine.numerics.blocks import fake_quantize
from engine.numerics.blockstudy import KINDS, StudyError, captured, error_study, outlier_study
from engine.numerics.gradients import capture_gradients
from engine.numerics.lowbit import RECIPES, apply_recipe
from engine.numerics.tinylm import TinyGPT, TinyGPTConfig
from engine.numerics.training import compare_recipes
from tests.engine.numerics.test_blocks import reference


@pytest.mark.parametrize("recipe", ["mxfp4", "fp8_deepseek", "nvfp4"])
def test_each_gemm_reads_operands_quantised_along_its_reduction_dimension(recipe: str) -> None:
    torch.manual_seed(0)
    lin = torch.nn.Linear(64, 48)
    ref_w, ref_b = lin.weight.detach().clone(), lin.bias.detach().clone()
    holder = torch.nn.Module()
    holder.blocks = torch.nn.ModuleList([torch.nn.Module()])
    holder.blocks[0].lin = lin
    assert apply_recipe(holder, recipe) == ["blocks.0.lin"]
    x = torch.randn(2, 40, 64, requires_grad=True)
    y = lin(x)
    gy = torch.randn_like(y)
    y.backward(gy)
    x2, g = x.detach().reshape(-1, 64), gy.reshape(-1, 48)
    q = fake_quantize
    want_y = q(x2, recipe, "activation", -1) @ q(ref_w, recipe, "weight", -1).T + ref_b
    assert torch.equal(y.detach().reshape(-1, 48), want_y)
    assert torch.equal(x.grad.reshape(-1, 64), q(g, recipe, "gradient", -1) @ q(ref_w, recipe, "weight", 0))
    assert torch.equal(lin.weight.grad, q(g, recipe, "gradient", 0).T @ q(x2, recipe, "activation", 0))
    assert torch.equal(lin.bias.grad, g.sum(0))
    assert not torch.equal(y.detach().reshape(-1, 48), x2 @ ref_w.T + ref_b)  # something was quantised


def test_mxfp4_gemms_read_what_a_brute_force_reference_quantises() -> None:
    """The same three GEMMs with operands quantised by the ml_dtypes reference, blocks along each reduction."""
    torch.manual_seed(1)
    lin = torch.nn.Linear(64, 48)
    w, b = lin.weight.detach().double().numpy(), lin.bias.detach()
    holder = torch.nn.Module()
    holder.blocks = torch.nn.ModuleList([torch.nn.Module()])
    holder.blocks[0].lin = lin
    apply_recipe(holder, "mxfp4")
    x = torch.randn(80, 64, requires_grad=True)
    y = lin(x)
    gy = torch.randn_like(y)
    y.backward(gy)

    def ref(a: np.ndarray, along_rows: bool = False) -> torch.Tensor:
        q = reference(a.T, "fp4_e2m1", 32, "e8m0").T if along_rows else reference(a, "fp4_e2m1", 32, "e8m0")
        return torch.from_numpy(np.ascontiguousarray(q)).float()

    xs, gs = x.detach().double().numpy(), gy.double().numpy()
    assert torch.equal(y.detach(), ref(xs) @ ref(w).T + b)
    assert torch.equal(x.grad, ref(gs) @ ref(w, along_rows=True))
    assert torch.equal(lin.weight.grad, ref(gs, along_rows=True).T @ ref(xs, along_rows=True))
    assert not torch.equal(lin.weight.grad, ref(gs).T @ ref(xs))  # blocks along the wrong axis differ


def test_only_the_block_linears_are_quantised() -> None:
    names = apply_recipe(TinyGPT(TinyGPTConfig()), "mxfp4")
    assert len(names) == 8 and "head" not in names
    with pytest.raises(ValueError, match="unknown recipe"):
        apply_recipe(TinyGPT(TinyGPTConfig()), "fp2")


def test_a_short_run_per_recipe() -> None:
    res = compare_recipes(RECIPES, steps=6, lr=3e-3)
    assert list(res) == list(RECIPES)
    assert all(len(r.losses) == 6 and all(math.isfinite(v) for v in r.losses) for r in res.values())
    assert abs(res["fp32"].losses[0] - res["mxfp4"].losses[0]) < 0.05  # same weights, quantised reads
    assert res["fp32"].losses[-1] != res["mxfp4"].losses[-1]  # the recipe changed the run


@pytest.fixture(scope="module")
def cap():
    return capture_gradients(steps=5)


def test_capture_keeps_signed_tensors_of_every_linear(cap) -> None:
    assert set(cap.tensors) == {"blocks.0.qkv", "blocks.0.proj", "blocks.0.fc", "blocks.0.out", "blocks.1.qkv",
                                "blocks.1.proj", "blocks.1.fc", "blocks.1.out", "head"}
    fc = cap.tensors["blocks.0.fc"]
    assert fc["weight"].shape == (256, 64) and fc["activation"].shape == (1024, 64)
    assert fc["gradient"].shape == (1024, 256) and (fc["gradient"] < 0).any()
    # the |g| the gradient view shows are these same gradients
    act = next(g for g in cap.layers if g.kind == "activation" and g.name == "blocks.0.fc")
    assert np.array_equal(act.values, np.abs(fc["gradient"]).ravel())


def test_error_study_pools_layers_and_orders_formats(cap) -> None:
    rows = error_study(cap, ("bf16", "mxfp8", "mxfp4", "fp4_tensor"))
    pooled = {(r.kind, r.scheme): r for r in rows if r.layer == "all"}
    for kind in KINDS:
        assert pooled[(kind, "bf16")].sqnr_db > pooled[(kind, "mxfp8")].sqnr_db > pooled[(kind, "mxfp4")].sqnr_db
        assert pooled[(kind, "mxfp4")].bits_per_value == 4.25
    # pooled from scratch: every layer's weight quantised block by block with ml_dtypes, noise and signal summed
    signal = noise = 0.0
    for kinds in cap.tensors.values():
        w = kinds["weight"].astype(np.float32).astype(np.float64)
        signal += float((w**2).sum())
        noise += float(((reference(w, "fp4_e2m1", 32, "e8m0") - w) ** 2).sum())
    assert pooled[("weight", "mxfp4")].sqnr_db == pytest.approx(10 * math.log10(signal / noise), rel=1e-9)


def test_an_outlier_hurts_per_tensor_scaling_everywhere_and_block_scaling_in_one_block(cap) -> None:
    x = captured(cap, "blocks.0.fc", "activation")
    study = outlier_study(x, "activation", factor=1000, schemes=("fp4_tensor", "mxfp4"))
    per_tensor, mx = study.cases
    assert study.value == pytest.approx(1000 * np.abs(x).max())
    assert per_tensor.sqnr_clean_db - per_tensor.sqnr_spiked_db > 10
    assert abs(mx.sqnr_clean_db - mx.sqnr_spiked_db) < 1 and mx.blocks_hurt <= 1
    with pytest.raises(StudyError):
        outlier_study(x, factor=math.inf)
    with pytest.raises(StudyError):
        captured(cap, "blocks.9.fc", "weight")
