"""Binary floating-point formats as data: field widths, bias, and the limits that follow from them.

Every limit is derived from (exponent bits, mantissa bits, specials), never typed in, so the table the
page shows and the rounding code read the same numbers. `specials` says which patterns are not ordinary
values:
- "ieee": the all-ones exponent holds ±inf and NaN (FP64…FP16, BF16, FP8 E5M2);
- "nan_only" (FP8 E4M3 "fn"): no infinities, only the all-ones pattern is NaN, so the top binade gains
  values (max 448);
- "none" (OCP Microscaling FP6 E2M3 / E3M2 and FP4 E2M1): every pattern is a finite number, no inf, no NaN;
- "e8m0" (the MX scale): unsigned, exponent only, value 2^(e − 127); no zero, no subnormals, 0xFF is NaN.
`tf32` is FP32's range with FP16's 10-bit mantissa, stored in 19 bits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class FormatSpec:
    """A binary floating-point format: 1 sign bit, `exp_bits` exponent bits, `man_bits` mantissa bits."""

    name: str
    exp_bits: int
    man_bits: int
    specials: str = "ieee"  # see the module docstring: "ieee", "nan_only", "none" or "e8m0"
    torch_dtype: str | None = None  # the torch dtype that stores it, when torch has one
    note: str = ""
    ml_dtype: str | None = None  # the ml_dtypes type of the same format (the tests' reference for the small ones)
    role: str = "element"  # "element" (holds values) or "scale" (holds a block's power-of-two scale)

    @property
    def finite_only(self) -> bool:
        """No infinities: overflow saturates (or, in E8M0, becomes NaN)."""
        return self.specials != "ieee"

    @property
    def signed(self) -> bool:
        """Whether the format has a sign bit (E8M0 has none)."""
        return self.specials != "e8m0"

    @property
    def has_nan(self) -> bool:
        """Whether some pattern is NaN (not in FP6 / FP4)."""
        return self.specials != "none"

    @property
    def has_zero(self) -> bool:
        """Whether zero is representable (not in E8M0, whose all-zero pattern is 2^-127)."""
        return self.specials != "e8m0"

    @property
    def bits(self) -> int:
        """Total width in bits."""
        return int(self.signed) + self.exp_bits + self.man_bits

    @property
    def bias(self) -> int:
        """Exponent bias: stored exponent = true exponent + bias."""
        return 2 ** (self.exp_bits - 1) - 1

    @property
    def emin(self) -> int:
        """Smallest normal exponent (E8M0's all-zero exponent is the value 2^-bias, not a subnormal)."""
        return -self.bias if self.specials == "e8m0" else 1 - self.bias

    @property
    def emax(self) -> int:
        """Largest finite exponent (the all-ones exponent is special in "ieee" and "e8m0" formats only)."""
        top = 2**self.exp_bits - 1
        return (top - 1 if self.specials in ("ieee", "e8m0") else top) - self.bias

    @property
    def max(self) -> float:
        """Largest finite value."""
        # In "nan_only" formats the all-ones mantissa of the top binade is NaN, so the top value loses one ulp.
        top_mantissa = 2**self.man_bits - (2 if self.specials == "nan_only" else 1)
        return (1 + top_mantissa / 2**self.man_bits) * 2.0**self.emax

    @property
    def min_normal(self) -> float:
        """Smallest positive normal value."""
        return 2.0**self.emin

    @property
    def min_subnormal(self) -> float:
        """Smallest positive subnormal value (one ulp of the subnormal range); E8M0 has none: its min normal."""
        return 2.0 ** (self.emin - self.man_bits)

    @property
    def eps(self) -> float:
        """Machine epsilon: the gap between 1 and the next larger value."""
        return 2.0**-self.man_bits

    @property
    def decimal_digits(self) -> float:
        """Decimal digits of precision, log10(2^(man_bits+1))."""
        return (self.man_bits + 1) * math.log10(2)

    @property
    def references(self) -> tuple[str, ...]:
        """What the tests check this format's rounding against, bit for bit: torch's dtype and / or ml_dtypes' type.
        Empty for TF32, which neither has; the tests check it against an independent bit-level reference."""
        return tuple(r for r in (self.torch_dtype and f"torch.{self.torch_dtype}",
                                 self.ml_dtype and f"ml_dtypes.{self.ml_dtype}") if r)

    @property
    def has_inf(self) -> bool:
        """Whether the format encodes ±infinity."""
        return self.specials == "ieee"

    @property
    def nan_bits(self) -> int | None:
        """The canonical quiet NaN this engine writes (top mantissa bit set; all ones otherwise); None without NaN."""
        exp_ones = (2**self.exp_bits - 1) << self.man_bits
        if self.specials == "none":
            return None
        if self.specials != "ieee":
            return exp_ones | (2**self.man_bits - 1)
        return exp_ones | (1 << (self.man_bits - 1))


FORMATS: dict[str, FormatSpec] = {
    f.name: f
    for f in [
        FormatSpec("fp64", 11, 52, torch_dtype="float64", note="IEEE 754 binary64"),
        FormatSpec("fp32", 8, 23, torch_dtype="float32", note="IEEE 754 binary32"),
        FormatSpec("tf32", 8, 10, note="NVIDIA TensorFloat-32: FP32 range, FP16 precision (tensor-core inputs)"),
        FormatSpec("fp16", 5, 10, torch_dtype="float16", note="IEEE 754 binary16"),
        FormatSpec("bf16", 8, 7, torch_dtype="bfloat16", note="bfloat16: FP32 range, 8 bits of precision"),
        FormatSpec("fp8_e4m3", 4, 3, specials="nan_only", torch_dtype="float8_e4m3fn",
                   note="OCP FP8 E4M3 (e4m3fn): no infinities; torch saturates overflow to ±448"),
        FormatSpec("fp8_e5m2", 5, 2, torch_dtype="float8_e5m2", note="OCP FP8 E5M2: IEEE-like, overflow → inf",
                   ml_dtype="float8_e5m2"),
        FormatSpec("fp6_e3m2", 3, 2, specials="none", ml_dtype="float6_e3m2fn",
                   note="OCP MX FP6 E3M2: every pattern a number (no inf, no NaN); overflow saturates to ±28"),
        FormatSpec("fp6_e2m3", 2, 3, specials="none", ml_dtype="float6_e2m3fn",
                   note="OCP MX FP6 E2M3: every pattern a number (no inf, no NaN); overflow saturates to ±7.5"),
        FormatSpec("fp4_e2m1", 2, 1, specials="none", ml_dtype="float4_e2m1fn",
                   note="OCP MX / NVFP4 FP4 E2M1: 15 values, ±{0, 0.5, 1, 1.5, 2, 3, 4, 6}; overflow saturates"),
        FormatSpec("e8m0", 8, 0, specials="e8m0", ml_dtype="float8_e8m0fnu", role="scale",
                   note="OCP MX scale E8M0: unsigned powers of two 2^-127…2^127, no zero, 0xFF is NaN"),
    ]
}


def get_format(fmt: str | FormatSpec) -> FormatSpec:
    """Resolve a format name (or pass a FormatSpec through); unknown names raise ValueError."""
    if isinstance(fmt, FormatSpec):
        return fmt
    try:
        return FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
