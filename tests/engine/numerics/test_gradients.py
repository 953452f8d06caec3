"""Gradient statistics against direct counts with torch casts, and the capture against a softmax formula."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as F

from engine.numerics.gradients import capture_gradients, loss_fractions, lost_update_fraction
from engine.numerics.tinylm import Batches, TinyGPT, TinyGPTConfig, training_text
from engine.numerics.training import train_run

TINY = TinyGPTConfig(context=16, width=32, layers=1, heads=2)


def log_uniform(rng: np.random.Generator, n: int, lo: int = -45, hi: int = 25) -> np.ndarray:
    return (2.0 ** rng.uniform(lo, hi, n) * rng.choice([-1, 1], n)).astype(np.float32)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(-10, 30), st.sampled_from(["fp16", "bf16", "fp8_e5m2"]))
def test_fractions_match_a_direct_count_with_torch(seed: int, log2_scale: int, fmt: str) -> None:
    g = log_uniform(np.random.default_rng(seed), 2000)
    g[:5] = 0.0
    scale = 2.0**log2_scale
    dtype = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp8_e5m2": torch.float8_e5m2}[fmt]
    t = (torch.from_numpy(np.abs(g).astype(np.float64)) * scale).to(dtype).to(torch.float64)
    nz = torch.from_numpy(g) != 0
    min_normal = {"fp16": 2.0**-14, "bf16": 2.0**-126, "fp8_e5m2": 2.0**-14}[fmt]
    fr = loss_fractions(g, fmt, scale)
    n = int(nz.sum())
    assert fr.count == n and fr.exact_zeros == 5
    assert fr.overflow == int(torch.isinf(t[nz]).sum()) / n
    assert fr.underflow == int((t[nz] == 0).sum()) / n
    assert fr.subnormal == int(((t[nz] > 0) & (t[nz] < min_normal)).sum()) / n
    assert fr.overflow + fr.underflow + fr.subnormal + fr.normal == pytest.approx(1.0)


def test_fp8_e4m3_overflow_counts_values_that_would_round_past_448() -> None:
    g = np.array([448.0, 463.9, 464.0, 464.1, 1e6, 2.0**-10, 2.0**-9.5], dtype=np.float32)
    fr = loss_fractions(g, "fp8_e4m3")
    assert fr.overflow == pytest.approx(2 / 7)  # 464 ties to 448 (even); 464.1 and 1e6 overflow
    assert fr.underflow == pytest.approx(1 / 7)  # 2^-10 is half the smallest subnormal 2^-9: ties to zero


def test_lost_updates_match_torch_half_arithmetic() -> None:
    rng = np.random.default_rng(3)
    w = rng.normal(0, 0.05, 20_000).astype(np.float32)
    delta = log_uniform(rng, 20_000, -30, -5)
    w16 = torch.from_numpy(w).half()
    moved = (w16.double() + torch.from_numpy(delta).double()).half()
    expected = float((moved == w16).double().mean())
    assert abs(lost_update_fraction(w, delta, "fp16") - expected) <= 1 / len(w)


def test_capture_records_every_layer_and_the_head_gradient_is_softmax_minus_onehot() -> None:
    cap = capture_gradients(steps=0, seed=5, config=TINY, batch=4, device=torch.device("cpu"))
    model = TinyGPT(TINY)
    assert {g.name for g in cap.layers if g.kind == "weight"} == {n for n, _ in model.named_parameters()}
    linears = {n for n, m in model.named_modules() if isinstance(m, torch.nn.Linear)}
    assert {g.name for g in cap.layers if g.kind == "activation"} == linears
    torch.manual_seed(5)
    model = TinyGPT(TINY)
    x, y = Batches(training_text(), TINY.context, 4, 5, torch.device("cpu")).next()
    logits, _ = model(x, y)
    ref = (F.softmax(logits, -1) - F.one_hot(y, TINY.vocab)).abs().flatten() / y.numel()
    head = next(g.values for g in cap.layers if g.name == "head" and g.kind == "activation")
    np.testing.assert_allclose(head, ref.detach().numpy(), rtol=1e-5, atol=1e-12)


def test_training_modes() -> None:
    r = train_run("fp16_scaled", steps=6, config=TINY, batch=2, init_scale=2.0**60, growth_interval=2)
    assert r.skipped and r.skipped[0] == 0, "2^60 must overflow fp16 at once"
    scales = [e.scale for e in r.scale_history]
    assert all(b == a / 2 for a, b, e in zip(scales, scales[1:], r.scale_history, strict=False) if e.found_inf)
    base = train_run("fp32", steps=6, config=TINY, batch=2)
    assert not base.skipped and len(base.losses) == 6
    with pytest.raises(ValueError, match="unknown mode"):
        train_run("fp12", steps=1)
