"""Stochastic rounding (issue #35): every result is one of x's two neighbours, found here by enumerating every
bit pattern of the format through ml_dtypes; the mean equals x within a sampling-error bound, where nearest
rounding (the negative control) misses by many standard errors; nearest still equals ml_dtypes' cast."""

from __future__ import annotations

import math
from functools import cache

import ml_dtypes
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.numerics import round_array
from engine.numerics.stochastic import RoundingError, accumulate, rounding_bias

ML = {"fp4_e2m1": (ml_dtypes.float4_e2m1fn, np.uint8, 4), "fp6_e2m3": (ml_dtypes.float6_e2m3fn, np.uint8, 6),
      "fp6_e3m2": (ml_dtypes.float6_e3m2fn, np.uint8, 6), "fp8_e4m3": (ml_dtypes.float8_e4m3fn, np.uint8, 8),
      "fp8_e5m2": (ml_dtypes.float8_e5m2, np.uint8, 8), "bf16": (ml_dtypes.bfloat16, np.uint16, 16),
      "fp16": (np.float16, np.uint16, 16)}


@cache
def grid(fmt: str) -> np.ndarray:
    """Every finite value of `fmt`, sorted: each bit pattern decoded by ml_dtypes (or numpy for fp16)."""
    dtype, raw, bits = ML[fmt]
    with np.errstate(invalid="ignore"):  # NaN patterns
        v = np.arange(2**bits, dtype=raw).view(dtype).astype(np.float64)
    return np.unique(v[np.isfinite(v)])


def neighbours(x: np.ndarray, fmt: str) -> tuple[np.ndarray, np.ndarray]:
    g = grid(fmt)
    i = np.searchsorted(g, x, side="right")  # g[i-1] <= x < g[i]
    below = g[np.clip(i - 1, 0, len(g) - 1)]
    above = np.where(below == x, x, g[np.clip(i, 0, len(g) - 1)])
    return below, above


@settings(max_examples=60, deadline=None)
@given(fmt=st.sampled_from(list(ML)), seed=st.integers(0, 2**32 - 1),
       frac=st.lists(st.floats(-1, 1, allow_nan=False), min_size=1, max_size=64))
def test_the_result_is_always_one_of_the_two_neighbours(fmt: str, seed: int, frac: list[float]) -> None:
    g = grid(fmt)
    x = np.asarray(frac) * g[-1]  # anywhere within ±max, subnormals included
    r = round_array(x, fmt, rounding="stochastic", seed=seed)
    below, above = neighbours(x, fmt)
    assert np.all((r == below) | (r == above)), (x, r, below, above)


@pytest.mark.parametrize("fmt", list(ML))
def test_values_of_the_format_stay_exactly_where_they_are(fmt: str) -> None:
    g = grid(fmt)
    assert np.array_equal(round_array(g, fmt, rounding="stochastic", seed=1), g)


@settings(max_examples=30, deadline=None)
@given(fmt=st.sampled_from(["fp8_e4m3", "fp8_e5m2", "fp4_e2m1", "bf16"]),
       frac=st.lists(st.floats(-0.9, 0.9, allow_nan=False), min_size=1, max_size=32))
def test_nearest_still_equals_ml_dtypes(fmt: str, frac: list[float]) -> None:
    x = np.asarray(frac) * grid(fmt)[-1]
    ref = x.astype(ML[fmt][0]).astype(np.float64)
    assert np.array_equal(round_array(x, fmt, via_fp32=False, rounding="nearest"), ref)
    assert np.array_equal(round_array(x, fmt, via_fp32=False), ref)  # the default is still nearest


@pytest.mark.parametrize("fmt, x", [("fp4_e2m1", 0.3), ("fp4_e2m1", -2.6), ("fp8_e4m3", 0.1), ("bf16", 1.001),
                                    ("fp8_e5m2", 3e-6), ("fp16", 1 + 2**-12)])
def test_unbiased_within_sampling_error_and_nearest_is_not(fmt: str, x: float) -> None:
    n = 40_000
    r = round_array(np.full(n, x), fmt, rounding="stochastic", seed=7)
    below, above = (float(v[0]) for v in neighbours(np.array([x]), fmt))
    p = (x - below) / (above - below)
    se = (above - below) * math.sqrt(p * (1 - p) / n)  # the standard error of the mean of n draws
    assert abs(r.mean() - x) < 5 * se
    assert abs(float((r == above).mean()) - p) < 5 * math.sqrt(p * (1 - p) / n)
    nearest = round_array(np.array([x]), fmt, via_fp32=False)[0]
    assert abs(nearest - x) > 10 * se, "the check must be able to fail: nearest rounding's bias is caught"
    b = rounding_bias(x, fmt, n=n, seed=7)
    assert (b.below, b.above, b.nearest) == (below, above, nearest) and b.mean == pytest.approx(r.mean())
    assert b.std_error == pytest.approx(se) and abs(b.stochastic_bias) < 5 * b.std_error


def test_seeds_reproduce_and_differ() -> None:
    x = np.linspace(-5, 5, 101)
    a, b = (round_array(x, "fp4_e2m1", rounding="stochastic", seed=s) for s in (3, 3))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, round_array(x, "fp4_e2m1", rounding="stochastic", seed=4))


def test_beyond_the_range_and_specials() -> None:
    r = round_array([100.0, -7.0, math.nan, math.inf], "fp4_e2m1", rounding="stochastic", seed=0)
    assert r[:2].tolist() == [6.0, -6.0] and math.isnan(r[2]) and r[3] == 6.0  # saturating, as nearest does
    r = round_array([70000.0, -math.inf, -0.0], "fp16", rounding="stochastic", seed=0)
    assert r[0] == math.inf and r[1] == -math.inf and r[2] == 0 and math.copysign(1, r[2]) == -1


@pytest.mark.parametrize("kwargs, code", [({"fmt": "fp16", "rounding": "up"}, "numerics.rounding.mode"),
                                          ({"fmt": "e8m0", "rounding": "stochastic"},
                                           "numerics.rounding.scale_format")])
def test_bad_requests_are_coded_errors(kwargs: dict, code: str) -> None:
    with pytest.raises(RoundingError) as e:
        round_array([1.0], **kwargs)
    assert e.value.code == code


def test_accumulating_small_steps_stalls_with_nearest_and_not_with_stochastic() -> None:
    """1 + 1000 × 0.001 in bf16: torch's own bf16 additions (round to nearest) never move off 1; the stochastic
    runs end near 2, within their spread."""
    acc = accumulate("bf16", start=1.0, step=1e-3, n=1000, seeds=8, seed=0)
    s = torch.tensor(1.0, dtype=torch.bfloat16)
    ref = [float(s)]
    for _ in range(1000):
        s = (s.double() + 1e-3).to(torch.bfloat16)
        ref.append(float(s))
    assert np.array_equal(acc.nearest, ref) and acc.nearest[-1] == 1.0 and acc.stalled_at == 0
    finals = acc.stochastic_runs[:, -1]
    assert abs(finals.mean() - acc.exact[-1]) < 5 * finals.std(ddof=1) / math.sqrt(len(finals)) + 1e-12
    assert finals.min() > 1.5
