"""Round, encode and decode values in any format of `formats.FORMATS`, bit-exactly like torch's casts.

Rounding is round-to-nearest, ties-to-even, done in float64 with exact power-of-two scaling:
pick the value's binade (clamped at the subnormal binade), divide by that binade's quantum,
`np.rint` (which breaks ties to even), multiply back. Two conventions follow torch, not IEEE:
- A float64 input is first rounded to float32, as torch's casts from float64 do (double rounding);
  pass `via_fp32=False` for the single correctly rounded result.
- FP8 E4M3 (`fn`) saturates: overflow and ±inf become ±448, as torch's cast does; only NaN is NaN.
NaN payloads and the sign of a NaN are not specified by conversions (torch's own scalar and vector
paths disagree for bf16); this engine writes the canonical quiet NaN, keeping the sign.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from engine.numerics.formats import FormatSpec, get_format

CLASSES = ("zero", "subnormal", "normal", "inf", "nan")


def _round_unbounded(mag: np.ndarray, f: FormatSpec) -> np.ndarray:
    """Round non-negative finite magnitudes to `f`'s precision, ignoring the top of the range."""
    _, e2 = np.frexp(mag)  # mag = m·2^e2 with m in [0.5, 1), so the binade exponent is e2 − 1
    quantum = np.ldexp(1.0, np.maximum(e2 - 1, f.emin) - f.man_bits)
    return np.rint(mag / quantum) * quantum


def _prepare(x: np.typing.ArrayLike, f: FormatSpec, via_fp32: bool) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64)
    if f.name == "fp32" or (via_fp32 and f.name != "fp64"):
        with np.errstate(over="ignore"):
            a = a.astype(np.float32).astype(np.float64)
    return a


def round_array(x: np.typing.ArrayLike, fmt: str | FormatSpec, via_fp32: bool = True) -> np.ndarray:
    """Vectorised `round_to`: every element rounded to `fmt`, returned as float64."""
    f = get_format(fmt)
    a = _prepare(x, f, via_fp32)
    if f.name in ("fp64", "fp32"):
        return a
    mag = np.abs(a)
    finite = np.isfinite(a)
    r = np.where(finite, _round_unbounded(np.where(finite, mag, 0.0), f), mag)
    over = r > f.max
    r = np.where(over, f.max if f.finite_only else np.inf, r)
    return np.copysign(r, a)


def round_to(x: float, fmt: str | FormatSpec, via_fp32: bool = True) -> float:
    """The value `x` takes when stored in `fmt` (round to nearest, ties to even), as a Python float."""
    return float(round_array(np.float64(x), fmt, via_fp32))


def classify_array(r: np.ndarray, fmt: str | FormatSpec) -> np.ndarray:
    """Class index into CLASSES for already-rounded values `r`."""
    f = get_format(fmt)
    mag = np.abs(r)
    out = np.full(r.shape, 2, dtype=np.int8)
    out[mag < f.min_normal] = 1
    out[mag == 0] = 0
    out[np.isinf(r)] = 3
    out[np.isnan(r)] = 4
    return out


def _fields(v: float, f: FormatSpec) -> tuple[int, int, int]:
    """Sign, stored exponent and stored mantissa of a value already representable in `f`."""
    sign = 1 if math.copysign(1.0, v) < 0 else 0
    mag = abs(v)
    exp_ones = 2**f.exp_bits - 1
    if math.isnan(v):
        nan = f.nan_bits
        return sign, nan >> f.man_bits, nan & (2**f.man_bits - 1)
    if math.isinf(v):
        return sign, exp_ones, 0
    if mag < f.min_normal:  # zero or subnormal: the value is an integer number of the smallest quanta
        return sign, 0, int(mag / f.min_subnormal)
    e = math.frexp(mag)[1] - 1
    return sign, e + f.bias, int((mag / 2.0**e - 1.0) * 2**f.man_bits)


@dataclass(frozen=True)
class Encoding:
    """How one input is stored in one format: fields, bits, class, stored value and error."""

    format: str
    input: float
    sign: int
    exponent: int
    mantissa: int
    bits: int
    width: int
    exp_bits: int
    man_bits: int
    cls: str
    value: float
    exact: str
    error: float
    rel_error: float

    @property
    def hex(self) -> str:
        """The bit pattern in hex, zero-padded to the format's width."""
        return f"0x{self.bits:0{(self.width + 3) // 4}X}"

    @property
    def bit_string(self) -> str:
        """Sign, exponent and mantissa bits separated by spaces."""
        b = f"{self.bits:0{self.width}b}"
        return f"{b[0]} {b[1:1 + self.exp_bits]} {b[1 + self.exp_bits:]}"


def exact_decimal(v: float) -> str:
    """The exact decimal expansion of a float (every binary float has a finite one)."""
    if math.isnan(v) or math.isinf(v):
        return str(v)
    return format(Decimal(v), "f") if v != 0 or math.copysign(1, v) > 0 else "-0"


def _encoding(x: float, value: float, f: FormatSpec) -> Encoding:
    sign, exp, man = _fields(value, f)
    bits = (sign << (f.bits - 1)) | (exp << f.man_bits) | man
    cls = CLASSES[int(classify_array(np.array([value]), f)[0])]
    finite = math.isfinite(x) and math.isfinite(value)
    err = value - x if finite else math.nan
    rel = abs(err) / abs(x) if finite and x != 0 else (0.0 if finite else math.nan)
    return Encoding(f.name, x, sign, exp, man, bits, f.bits, f.exp_bits, f.man_bits, cls, value,
                    exact_decimal(value), err, rel)


def encode(x: float, fmt: str | FormatSpec, via_fp32: bool = True) -> Encoding:
    """Round `x` into `fmt` and describe the result: fields, bits, hex, class, exact stored value, error."""
    f = get_format(fmt)
    x = float(x)
    return _encoding(x, round_to(x, f, via_fp32), f)


def decode(bits: int, fmt: str | FormatSpec) -> float:
    """The value a bit pattern stands for in `fmt`; patterns wider than the format raise ValueError."""
    f = get_format(fmt)
    if not 0 <= int(bits) < 2**f.bits:
        raise ValueError(f"0x{int(bits):X} does not fit in {f.name}'s {f.bits} bits")
    bits = int(bits)
    sign = -1.0 if bits >> (f.bits - 1) else 1.0
    exp = (bits >> f.man_bits) & (2**f.exp_bits - 1)
    man = bits & (2**f.man_bits - 1)
    exp_ones = 2**f.exp_bits - 1
    if f.finite_only and exp == exp_ones and man == 2**f.man_bits - 1:
        return math.nan
    if not f.finite_only and exp == exp_ones:
        return sign * math.inf if man == 0 else math.nan
    if exp == 0:
        return sign * math.ldexp(man, f.emin - f.man_bits)
    return sign * math.ldexp(2**f.man_bits + man, exp - f.bias - f.man_bits)


def decode_encoding(bits: int, fmt: str | FormatSpec) -> Encoding:
    """`encode` of the value a bit pattern stands for, keeping the pattern's own NaN bits."""
    f = get_format(fmt)
    value = decode(bits, f)
    enc = _encoding(value, value, f)
    if math.isnan(value):  # keep the user's NaN payload rather than the canonical one
        return Encoding(**{**enc.__dict__, "bits": int(bits), "sign": int(bits) >> (f.bits - 1),
                           "exponent": (int(bits) >> f.man_bits) & (2**f.exp_bits - 1),
                           "mantissa": int(bits) & (2**f.man_bits - 1)})
    return enc


def ulp(x: float, fmt: str | FormatSpec) -> float:
    """Unit in the last place at `x` in `fmt`: the gap from |x| (rounded) to the next larger value."""
    f = get_format(fmt)
    r = round_to(x, f)
    if not math.isfinite(r):
        return math.nan
    e = max(math.frexp(abs(r))[1] - 1, f.emin) if r != 0 else f.emin
    return math.ldexp(1.0, e - f.man_bits)
