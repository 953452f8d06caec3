"""Parse what a user types into the bit explorer: a decimal number or a hex/binary bit pattern."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from engine.messages import CodedError, Message, define
from engine.numerics.formats import FormatSpec, get_format

define({
    "numerics.empty": "type a number such as 0.1, 1e-7 or -65504, or a bit pattern such as 0x3C00",
    "numerics.too_long": "at most {limit} characters: a number or a bit pattern is never longer",
    "numerics.bad_hex": "{text} is not a valid hex pattern",
    "numerics.bad_binary": "{text} is not a valid binary pattern",
    "numerics.too_wide_hex": "{fmt} has {bits} bits: a hex pattern needs at most {want} digits, and {text} has {n}",
    "numerics.too_wide_binary": "{fmt} has {bits} bits: a binary pattern needs at most {want} digits, and {text} "
                                "has {n}",
    "numerics.not_number": "{text} is not a number: use digits, a decimal point and an optional exponent",
    "numerics.beyond_fp64": "{text} is beyond even fp64's range (max ≈ 1.8e308), so it was read as {value}",
    "numerics.below_fp64": "{text} is below fp64's smallest subnormal (≈ 4.9e-324), so it was read as 0",
})


class ParseError(CodedError):
    """What the user typed is neither a number nor a bit pattern of the format (a code, with the English default)."""

_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$|^[+-]?(inf|infinity|nan)$", re.IGNORECASE | re.ASCII)
_PATTERN = {16: re.compile(r"^[0-9a-f]+$", re.IGNORECASE | re.ASCII), 2: re.compile(r"^[01]+$", re.ASCII)}


@dataclass(frozen=True)
class Parsed:
    """Either a decimal value (`bits` is None) or a bit pattern for the format (`value` is None)."""

    value: float | None
    bits: int | None
    note: Message | None = None


MAX_INPUT_CHARS = 200  # the 64 bits of fp64 written in binary with a separator between every bit fit


def parse_input(text: str, fmt: str | FormatSpec) -> Parsed:
    """Read `text` as a decimal (`0.1`, `-1e-5`, `inf`, `nan`) or a pattern (`0x3C00`, `0b0011110000000000`).

    Underscores and spaces group digits and are ignored (`0x3C_00`, `0b0 01111 0000000000`, `1_000`); only ASCII
    digits count, so `١٢٣` or `0x٣` is refused rather than read as 123 or 3, and a pattern has no sign. A pattern
    must fit the format's width; anything else raises ParseError (a ValueError) with a code.
    """
    f = get_format(fmt)
    if len(text) > MAX_INPUT_CHARS:  # bounded before any parsing, and never echoed back whole
        raise ParseError("numerics.too_long", limit=MAX_INPUT_CHARS)
    s = text.strip().replace("_", "").replace(" ", "")
    if not s:
        raise ParseError("numerics.empty")
    low = s.lower()
    if low.startswith(("0x", "0b")):
        base, digits = (16, 4) if low[1] == "x" else (2, 1)
        kind = "hex" if base == 16 else "binary"
        body = s[2:]
        if not _PATTERN[base].match(body):  # int() would take a sign (0x-1 is −1) and any Unicode digit
            raise ParseError(f"numerics.bad_{kind}", text=repr(text.strip()))
        bits = int(body, base)
        if bits >= 2**f.bits or len(body) * digits > ((f.bits + digits - 1) // digits) * digits:
            want = (f.bits + 3) // 4 if base == 16 else f.bits
            raise ParseError(f"numerics.too_wide_{kind}", fmt=f.name, bits=f.bits, want=want, text=repr(text.strip()),
                             n=len(body))
        return Parsed(None, bits)
    if not _DECIMAL.match(s):
        raise ParseError("numerics.not_number", text=repr(text.strip()))
    value = float(s)
    note = None
    if math.isinf(value) and "inf" not in low:
        note = Message("numerics.beyond_fp64", text=text.strip(), value=value)
    elif value == 0 and any(c in "123456789" for c in s.split("e")[0].split("E")[0]):
        note = Message("numerics.below_fp64", text=text.strip())
    return Parsed(value, None, note)
