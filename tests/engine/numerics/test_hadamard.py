"""The parts of the published FP4 / FP8 recipes (issue #35): the random Hadamard transform against
scipy.linalg.hadamard, NVFP4's 16×16 weight tiles (W and Wᵀ quantise identically, 1×16 blocks do not), and FP8
hybrid's E5M2 gradients against ml_dtypes."""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest
import scipy.linalg
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.numerics.blocks import SCHEMES, quantize_blocks, quantize_scheme, random_hadamard
from engine.numerics.blockstudy import hadamard_study
from engine.numerics.hadamard import HadamardError, signs


@settings(max_examples=25, deadline=None)
@given(log2_block=st.integers(1, 7), blocks=st.integers(1, 4), rows=st.integers(1, 5), seed=st.integers(0, 1000))
def test_equals_scipy_hadamard_times_random_signs(log2_block: int, blocks: int, rows: int, seed: int) -> None:
    b = 2**log2_block
    x = torch.randn(rows, blocks * b, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    y, inverse = random_hadamard(x, block=b, seed=seed)
    h = scipy.linalg.hadamard(b).astype(np.float64) / np.sqrt(b)
    d = signs(b, seed).numpy()
    ref = (x.numpy().reshape(rows, blocks, b) * d) @ h.T
    np.testing.assert_allclose(y.numpy(), ref.reshape(rows, -1), rtol=0, atol=1e-12)
    np.testing.assert_allclose(inverse(y).numpy(), x.numpy(), rtol=0, atol=1e-12)
    assert set(np.unique(d)) <= {-1.0, 1.0}


def test_orthonormal_and_the_seed_picks_the_signs() -> None:
    q, _ = random_hadamard(torch.eye(16, dtype=torch.float64), block=16, seed=3)  # rows: the rotated basis
    np.testing.assert_allclose((q @ q.T).numpy(), np.eye(16), atol=1e-12)
    assert not torch.equal(signs(16, 3), signs(16, 4))
    x = torch.randn(4, 64, dtype=torch.float64)
    y, _ = random_hadamard(x, 16, 0)
    assert torch.allclose(x.norm(dim=-1), y.norm(dim=-1), rtol=1e-12)


def test_an_outlier_is_spread_over_its_block_only() -> None:
    x = torch.zeros(48, dtype=torch.float64)
    x[20] = 64.0  # in the second block of 16
    y, _ = random_hadamard(x, block=16, seed=0)
    assert torch.equal(y[16:32].abs(), torch.full((16,), 16.0, dtype=torch.float64))  # 64 / √16 each
    assert torch.equal(y[:16], torch.zeros(16, dtype=torch.float64)) and torch.equal(y[32:], y[:16])
    g = torch.randn(16, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    g[5] = 100.0
    y, _ = random_hadamard(g, 16, 0)
    assert y.abs().max() < 100 / 4 + g[torch.arange(16) != 5].abs().sum() / 4  # no longer one value's scale


@pytest.mark.parametrize("block, n", [(12, 24), (0, 16), (True, 16), (16, 24), (8192, 8192)])
def test_bad_blocks_are_coded_errors(block: object, n: int) -> None:
    with pytest.raises(HadamardError) as e:
        random_hadamard(torch.ones(2, n), block=block)  # type: ignore[arg-type]
    assert e.value.code == "numerics.hadamard.block"


def test_rotation_helps_mxfp4_on_outlier_columns_and_is_measured_on_the_original() -> None:
    g = torch.Generator().manual_seed(0)
    w = torch.randn(64, 128, dtype=torch.float64, generator=g) * 0.02
    w[:, [3, 77]] *= 40
    rows = {r.scheme: r for r in hadamard_study(w, ("mxfp4", "fp8_tensor"))}
    assert rows["mxfp4"].sqnr_rotated_db > rows["mxfp4"].sqnr_plain_db + 1
    assert rows["mxfp4"].amax_over_rms_rotated < rows["mxfp4"].amax_over_rms_plain / 2
    plain = quantize_scheme(w, "mxfp4", "weight")
    assert rows["mxfp4"].sqnr_plain_db == plain.sqnr_db and rows["mxfp4"].flushed_plain == plain.flushed


def test_16x16_tiles_quantise_w_and_its_transpose_identically() -> None:
    w = torch.randn(48, 80, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    w[7, 9] = 30.0
    kw = dict(element="fp4_e2m1", scale="e4m3", tensor_scale=True)
    a, b = quantize_blocks(w, block=(16, 16), **kw), quantize_blocks(w.T, block=(16, 16), **kw)
    assert torch.equal(a.dequantized.T, b.dequantized) and torch.equal(a.scales.T, b.scales)
    r, c = quantize_blocks(w, block=16, **kw), quantize_blocks(w.T, block=16, **kw)  # negative control: 1×16
    assert not torch.equal(r.dequantized.T, c.dequantized)
    s = quantize_scheme(w, "nvfp4_2d", "weight")
    assert torch.equal(s.dequantized, a.dequantized) and s.block_shape == (16, 16)
    assert quantize_scheme(w, "nvfp4_2d", "activation").block_shape == (16,)


def test_fp8_hybrid_stores_gradients_in_e5m2_and_the_rest_in_e4m3() -> None:
    rng = np.random.default_rng(0)
    g = torch.from_numpy(rng.lognormal(-12, 3, (32, 64)) * rng.choice([-1, 1], (32, 64)))
    q = quantize_scheme(g, "fp8_hybrid", "gradient")
    scale = float(np.float32(float(g.abs().max()) / 57344.0))
    ref = (g.numpy() / scale).astype(ml_dtypes.float8_e5m2).astype(np.float64)
    assert q.element == "fp8_e5m2" and np.array_equal(q.elements.numpy(), ref)
    a = quantize_scheme(g, "fp8_hybrid", "activation")
    ref4 = (g.numpy() / float(np.float32(float(g.abs().max()) / 448.0))).astype(ml_dtypes.float8_e4m3fn)
    assert a.element == "fp8_e4m3" and np.array_equal(a.elements.numpy(), ref4.astype(np.float64))
    assert a.dequantized.equal(quantize_scheme(g, "fp8_tensor", "gradient").dequantized)
    assert q.flushed < a.flushed  # E5M2's range keeps more of a wide gradient distribution
    assert SCHEMES["fp8_hybrid"].bits_per_value((32, 64), "gradient") == 8 + 32 / (32 * 64)
