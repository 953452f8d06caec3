"""FP6, FP4 and E8M0 against ml_dtypes (a test-only reference): every pattern, 400,000 random float32 inputs,
every tie, and the conventions documented in `engine.numerics.rounding`."""

from __future__ import annotations

import math

import ml_dtypes
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.numerics import FORMATS, decode, encode
from engine.numerics.rounding import round_array, rounding_decision

SMALL = [n for n, f in FORMATS.items() if f.ml_dtype]


def ref(name: str):
    return getattr(ml_dtypes, FORMATS[name].ml_dtype)


def same_bits(ours: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """Elementwise: equal values with equal signs (so -0 ≠ +0), or both NaN."""
    both_nan = np.isnan(ours) & np.isnan(theirs)
    return both_nan | ((ours == theirs) & (np.signbit(ours) == np.signbit(theirs)))


@pytest.mark.parametrize("name", SMALL)
def test_every_pattern_decodes_as_ml_dtypes_does(name: str) -> None:
    f = FORMATS[name]
    patterns = np.arange(2**f.bits, dtype=np.uint8)
    theirs = patterns.view(ref(name)).astype(np.float64)
    ours = np.array([decode(int(b), name) for b in patterns])
    assert same_bits(ours, theirs).all()
    for b, v in zip(patterns, ours, strict=True):  # and every pattern that is a number encodes back to itself
        if not math.isnan(v):
            assert encode(v, name).bits == int(b), (name, int(b), v)


@pytest.mark.parametrize("name", SMALL)
def test_limits_match_ml_dtypes_finfo(name: str) -> None:
    f, fi = FORMATS[name], ml_dtypes.finfo(ref(name))
    assert (f.max, f.min_normal, f.min_subnormal, f.bits) == (float(fi.max), float(fi.tiny),
                                                              float(fi.smallest_subnormal), fi.bits)


@pytest.mark.parametrize("name", SMALL)
def test_400k_random_float32_patterns_round_as_ml_dtypes_casts(name: str) -> None:
    rng = np.random.default_rng(1)
    x = rng.integers(0, 2**32, 400_000, dtype=np.uint64).astype(np.uint32).view(np.float32)
    with np.errstate(invalid="ignore", over="ignore"):
        theirs = x.astype(ref(name)).astype(np.float64)
    ours = round_array(x, name)
    nan_in = np.isnan(x)
    assert same_bits(ours, theirs)[~nan_in].all()
    # the one documented difference: NaN has no FP6 / FP4 pattern, ml_dtypes writes a zero there; we keep NaN
    assert np.isnan(ours[nan_in]).all()


@pytest.mark.parametrize("name", SMALL)
def test_values_inside_the_range_and_every_exact_tie_round_as_ml_dtypes(name: str) -> None:
    """Random bit patterns are mostly far outside a 4-bit format's range; these land inside it, and on ties."""
    f = FORMATS[name]
    rng = np.random.default_rng(2)
    exps = rng.uniform(math.log2(f.min_subnormal) - 2, math.log2(f.max) + 1, 400_000)
    x = (np.exp2(exps) * rng.choice([-1, 1], exps.size)).astype(np.float32)
    grid = np.unique(np.array([decode(b, name) for b in range(2**f.bits)]))
    grid = grid[np.isfinite(grid)]
    ties = ((grid[1:] + grid[:-1]) / 2).astype(np.float32)  # midpoints are exact in float32 for these formats
    assert np.array_equal(ties.astype(np.float64), (grid[1:] + grid[:-1]) / 2)
    for vals in (x, ties, -ties):
        with np.errstate(invalid="ignore", over="ignore"):
            theirs = vals.astype(ref(name)).astype(np.float64)
        assert same_bits(round_array(vals, name), theirs).all()


@settings(max_examples=300, deadline=None)
@given(st.floats(width=32, allow_nan=False), st.sampled_from(SMALL))
def test_any_float32_rounds_as_ml_dtypes(x: float, name: str) -> None:
    a = np.array([x], dtype=np.float32)
    with np.errstate(invalid="ignore", over="ignore"):
        theirs = a.astype(ref(name)).astype(np.float64)
    assert same_bits(round_array(a, name), theirs).all()


def test_e8m0_conventions() -> None:
    r = round_array(np.array([0.0, -1.0, np.inf, 3.0, 0.75, 5.0, 2.0**-130, 1.5 * 2.0**127]), "e8m0")
    assert np.isnan(r[[0, 1, 2, 7]]).all()
    assert list(r[3:7]) == [4.0, 1.0, 4.0, 2.0**-127]  # ties go up; below 2^-127 there is no zero to go to
    assert encode(1.0, "e8m0").bits == 127 and encode(2.0**-127, "e8m0").bits == 0 and FORMATS["e8m0"].nan_bits == 0xFF


@pytest.mark.parametrize(("x", "fmt", "code", "chosen"), [
    (float("nan"), "fp4_e2m1", "numerics.round.no_nan", math.nan),
    (0.0, "e8m0", "numerics.round.e8m0_nan", math.nan),
    (3.0, "e8m0", "numerics.round.tie_up", 4.0),
    (2.0**-130, "e8m0", "numerics.round.e8m0_floor", 2.0**-127),
    (7.0, "fp4_e2m1", "numerics.round.saturate", 6.0),
    (5.0, "fp4_e2m1", "numerics.round.tie_even", 4.0),
    (100.0, "fp6_e3m2", "numerics.round.saturate", 28.0),
])
def test_rounding_decisions_of_the_small_formats(x: float, fmt: str, code: str, chosen: float) -> None:
    d = rounding_decision(x, fmt)
    assert d.reason.code == code
    assert (math.isnan(chosen) and math.isnan(d.chosen)) or d.chosen == chosen


def test_nan_has_no_fp4_pattern() -> None:
    e = encode(math.nan, "fp4_e2m1")
    assert e.bits is None and e.hex == "—" and e.cls == "nan"


def test_each_formats_named_reference_is_the_one_its_tests_use() -> None:
    """The formats table names, per row, what the rounding was checked against; these are the references the
    tests iterate over (torch for TORCH_FORMATS, ml_dtypes for SMALL), and TF32 alone has neither."""
    import torch

    from tests.engine.numerics.test_rounding import TORCH_FORMATS

    for name, f in FORMATS.items():
        refs = f.references
        assert (f"torch.{f.torch_dtype}" in refs) == (name in TORCH_FORMATS), name
        assert (f"ml_dtypes.{f.ml_dtype}" in refs) == (name in SMALL), name
        for r in refs:
            module, attr = r.split(".")
            assert hasattr({"torch": torch, "ml_dtypes": ml_dtypes}[module], attr), r
    assert [n for n, f in FORMATS.items() if not f.references] == ["tf32"]
