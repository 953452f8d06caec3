"""Block quantisation against hand-worked OCP examples and a brute-force per-block reference that rounds
with ml_dtypes (independent of the engine's own rounding)."""

from __future__ import annotations

import math

import ml_dtypes
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.numerics.blocks import SCHEMES, QuantError, fake_quantize, quantize_blocks, quantize_scheme

ML = {"fp4_e2m1": ml_dtypes.float4_e2m1fn, "fp6_e2m3": ml_dtypes.float6_e2m3fn, "fp6_e3m2": ml_dtypes.float6_e3m2fn,
      "fp8_e4m3": ml_dtypes.float8_e4m3fn}
ELEM = {"fp4_e2m1": (6.0, 2), "fp6_e2m3": (7.5, 2), "fp6_e3m2": (28.0, 4), "fp8_e4m3": (448.0, 8)}  # max, emax


def t(*v: float) -> torch.Tensor:
    return torch.tensor(v, dtype=torch.float64)


def test_mx_scale_when_the_block_max_is_a_power_of_two() -> None:
    q = quantize_blocks(t(4.0, 1.0, 0.3, -2.0), "fp4_e2m1", 4, "e8m0")
    # X = 2^(floor(log2 4) − emax(E2M1) = 2 − 2) = 1; 0.3 is nearer 0.5 than 0
    assert q.scales.tolist() == [1.0] and q.dequantized.tolist() == [4.0, 1.0, 0.5, -2.0] and q.saturated == 0


def test_mx_scale_that_overflows_the_element_saturates_as_the_spec_says() -> None:
    q = quantize_blocks(t(7.0, 1.0, 0.3, -2.0), "fp4_e2m1", 4, "e8m0")
    assert q.scales.tolist() == [1.0] and q.elements.tolist() == [6.0, 1.0, 0.5, -2.0] and q.saturated == 1
    q8 = quantize_blocks(t(500.0, 3.0), "fp8_e4m3", 2, "e8m0")  # floor(log2 500) = 8 = emax(E4M3): 500 → 448
    assert q8.scales.tolist() == [1.0] and q8.dequantized.tolist() == [448.0, 3.0]
    # the round-up rule picks the next power of two instead, and nothing saturates
    c = quantize_blocks(t(7.0, 1.0, 0.3, -2.0), "fp4_e2m1", 4, "e8m0", rule="ceil")
    assert c.scales.tolist() == [2.0] and c.dequantized.tolist() == [8.0, 1.0, 0.0, -2.0] and c.saturated == 0


def test_mx_special_blocks() -> None:
    q = quantize_blocks(t(1.0, math.nan, 0.0, 0.0, 2.0**-140, 0.0, math.inf, 1.0), "fp4_e2m1", 2, "e8m0")
    s = q.scales.tolist()
    assert math.isnan(s[0]) and math.isnan(q.dequantized[0]) and math.isnan(q.dequantized[1])  # NaN scale: block NaN
    assert s[1] == 2.0**-127 and q.dequantized[2:4].tolist() == [0.0, 0.0]  # all-zero block: smallest scale
    assert s[2] == 2.0**-127 and q.dequantized[4] == 0.0 and q.flushed == 1  # below E8M0's range: clamped scale
    assert math.isnan(s[3])


def test_nvfp4_two_level_scale_by_hand() -> None:
    x = t(*([12.0, 3.0, -1.0, 0.2] + [0.5] * 12 + [2.0] + [0.1] * 15))
    q = quantize_blocks(x, "fp4_e2m1", 16, "e4m3", tensor_scale=True)
    ts = float(np.float32(12.0 / (6 * 448)))
    assert q.tensor_scale == ts
    # block 0: 12 / 6 / ts = 448 exactly in E4M3; block 1: 2 / 6 / ts = 74.67 → E4M3 72 (spacing 8 in [64, 128))
    assert q.scales.tolist() == pytest.approx([448 * ts, 72 * ts], rel=0, abs=0)
    assert q.elements[:4].tolist() == [6.0, 1.5, -0.5, 0.0] and q.bits_per_value == 4 + 8 / 16 + 32 / 32


def reference(x: np.ndarray, element: str, block: int, scale: str, rule: str = "ocp") -> np.ndarray:
    """One block at a time along the last axis, rounding with ml_dtypes."""
    top, emax = ELEM[element]
    out = np.zeros_like(x)
    for r in range(x.shape[0]):
        for c0 in range(0, x.shape[1], block):
            v = x[r, c0:c0 + block]
            amax = float(np.abs(v).max())
            if scale == "e8m0":
                if amax == 0:
                    s = 2.0**-127
                else:
                    e = math.floor(math.log2(amax)) - emax if rule == "ocp" else math.ceil(math.log2(amax / top))
                    s = 2.0 ** min(max(e, -127), 127)
            else:  # fp32
                s = float(np.float32(amax / top)) or 1.0
            scaled = np.clip(v / s, -top, top)
            out[r, c0:c0 + block] = scaled.astype(np.float32).astype(ML[element]).astype(np.float64) * s
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(1, 70), st.sampled_from([8, 16, 32]), st.sampled_from(list(ELEM)),
       st.sampled_from([("e8m0", "ocp"), ("e8m0", "ceil"), ("fp32", "ocp")]), st.floats(-30, 30), st.integers(0, 9))
def test_matches_a_brute_force_reference(rows, cols, block, element, scale_rule, log2_mag, seed) -> None:
    x = np.random.default_rng(seed).standard_normal((rows, cols)) * 2.0**log2_mag
    x = x.astype(np.float32).astype(np.float64)  # float32 inputs, so ml_dtypes' float32 cast is a single rounding
    scale, rule = scale_rule
    q = quantize_blocks(x, element, block, scale, rule=rule)
    want = reference(x, element, block, scale, rule)
    assert np.array_equal(q.dequantized.numpy(), want)


def test_2d_tiles_and_axis_pick_the_right_values() -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((200, 300))
    q = quantize_blocks(x, "fp8_e4m3", (128, 128), "fp32")
    assert tuple(q.scales.shape) == (2, 3)
    for i in range(2):
        for j in range(3):
            tile = x[128 * i:128 * (i + 1), 128 * j:128 * (j + 1)]
            assert q.scales[i, j] == float(np.float32(np.abs(tile).max() / 448))
    along0 = quantize_blocks(x, "fp4_e2m1", 32, "e8m0", axis=0).dequantized.numpy()
    x32 = x.astype(np.float32).astype(np.float64)  # the reference casts through float32
    assert np.array_equal(quantize_blocks(x32, "fp4_e2m1", 32, "e8m0", axis=0).dequantized.numpy(),
                          reference(x32.T, "fp4_e2m1", 32, "e8m0").T)
    assert not np.array_equal(along0, quantize_blocks(x, "fp4_e2m1", 32, "e8m0").dequantized.numpy())  # axis matters


def test_deepseek_scheme_uses_tiles_for_activations_and_blocks_for_weights() -> None:
    x = torch.randn(256, 384, dtype=torch.float64)
    assert tuple(quantize_scheme(x, "fp8_deepseek", "activation").scales.shape) == (256, 3)
    assert tuple(quantize_scheme(x, "fp8_deepseek", "weight").scales.shape) == (2, 3)


@pytest.mark.parametrize("name", [n for n, s in SCHEMES.items() if s.scale in ("e8m0", None)])
def test_fake_quantize_matches_the_brute_force_reference_for_power_of_two_scales(name: str) -> None:
    """The float32 path a training run reads, against ml_dtypes block by block (bf16: torch's own cast)."""
    x = torch.randn(64, 96) * torch.logspace(-4, 4, 96)
    got = fake_quantize(x, name, "activation", -1).double().numpy()
    s = SCHEMES[name]
    want = (x.to(torch.bfloat16).double().numpy() if s.scale is None
            else reference(x.double().numpy(), s.element, s.block, s.scale, s.rule))
    assert np.array_equal(got, want)
    along0 = fake_quantize(x, name, "gradient", 0).double().numpy()  # blocks down the columns
    if s.scale is not None:
        assert np.array_equal(along0, reference(x.double().numpy().T, s.element, s.block, s.scale, s.rule).T)


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"element": "e8m0"}, "numerics.blocks.element"), ({"element": "fp32"}, "numerics.blocks.element"),
    ({"scale": "e5m2"}, "numerics.blocks.scale"), ({"block": 0}, "numerics.blocks.block"),
    ({"block": (4, 0)}, "numerics.blocks.block"), ({"block": True}, "numerics.blocks.block"),
    ({"rule": "round"}, "numerics.blocks.rule"),
])
def test_bad_requests_are_coded_errors(kwargs: dict, code: str) -> None:
    with pytest.raises(QuantError) as e:
        quantize_blocks(torch.ones(4, 4), **kwargs)
    assert e.value.code == code
    with pytest.raises(QuantError, match="2 dimensions"):
        quantize_blocks(torch.ones(8), block=(2, 2))


def test_smaller_blocks_never_lose_more_on_gaussian_data() -> None:
    x = torch.randn(64, 256, dtype=torch.float64) * torch.logspace(-3, 3, 256, dtype=torch.float64)
    sq = [quantize_blocks(x, "fp4_e2m1", b, "e8m0").sqnr_db for b in (256, 64, 16)]
    assert sq[0] < sq[1] < sq[2]


def test_bits_per_value_count_the_scales_of_partial_blocks() -> None:
    """A 1×128 tile on a 64-wide row still stores one FP32 scale per row: 8 + 32/64 = 8.5 bits, not 8 + 32/128."""
    x = torch.randn(4, 64, dtype=torch.float64)
    q = quantize_scheme(x, "fp8_deepseek", "activation")
    assert q.bits_per_value == 8 + 32 / 64
    assert SCHEMES["fp8_deepseek"].bits_per_value((4, 64), "activation") == 8.5
    # a 32-value MX block on a 20-wide row: one E8M0 scale per row of 20 values
    assert quantize_blocks(torch.randn(3, 20), "fp4_e2m1", 32, "e8m0").bits_per_value == 4 + 8 / 20
    # six 128×128 tiles cover 200×300 (four of them partial): 6 FP32 scales over 60,000 values
    assert quantize_blocks(torch.randn(200, 300), "fp8_e4m3", (128, 128), "fp32").bits_per_value == 8 + 6 * 32 / 60_000
    # whole blocks are unchanged: MXFP4 on 64-wide rows is 4.25 bits, NVFP4 adds one FP32 scale per tensor
    assert quantize_scheme(x, "mxfp4").bits_per_value == 4.25
    assert quantize_scheme(x, "nvfp4").bits_per_value == 4 + 8 / 16 + 32 / 256
    assert SCHEMES["nvfp4"].bits_per_value(256) == 4 + 8 / 16 + 32 / 256
