"""Reading numbers out of page text: which ui/text entries state a number, and which numbers they state.

A digit in page text is either a placeholder (`{n}`, formatted from the result the page holds), part of a
name (fp16, E4M3, log2, compat.v1, x[0], FlashAttention-2, IEEE 754), or a number the sentence states. The
last kind must be pinned by tests/test_sentences.py. This module only reads text; it computes nothing.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import ui.text

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# digits that belong to a name: identifiers (fp16, E4M3, log2, int32, blocks.0.out, compat.v1, bucket_cap_mb),
# indexing in code (x[0], x[1:]), and product or standard names whose number is part of the name
IDENTIFIER = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*")
SUBSCRIPT = re.compile(r"(?<=[A-Za-z0-9_\])])\[-?\d*:?-?\d*\]")
NAMED = re.compile(r"(?<![A-Za-z0-9_])(?:[A-Z][A-Za-z]*|MX)-\d+\b|\bIEEE 754\b|\bKeras 3\b|\b127\.0\.0\.1\b")
SUPERSCRIPT = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉]")  # exponents and indices in a formula: N², log₂
FULLWIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)}
                          | {chr(0xFF21 + i): chr(65 + i) for i in range(26)}
                          | {chr(0xFF41 + i): chr(97 + i) for i in range(26)})

# one stated number: 0x3C00, 0b0011…, 2^-24, 1,797, 0.0999755859375, 1e-4, 99.999%
NUMBER = re.compile(
    r"0x[0-9A-Fa-f]+|0b[01]+"
    r"|(?P<pow>2\^(?:\([-−]?\d+\)|[-−]?\d+))"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?(?:e[-−+]?\d+)?)(?P<pct>%)?"
)


def _strip_name(m: re.Match[str]) -> str:
    return "" if re.search(r"\d", m.group(0)) else m.group(0)


def clean(text: str) -> str:
    """The text with placeholders and digit-bearing names taken out: what is left states numbers."""
    text = PLACEHOLDER.sub(" ", text.translate(FULLWIDTH))
    text = SUPERSCRIPT.sub("", SUBSCRIPT.sub("", text))
    text = NAMED.sub(" ", text)
    return IDENTIFIER.sub(_strip_name, text)


@dataclass(frozen=True)
class Stated:
    """One number as a sentence writes it: its value and how many decimals (or significant digits) it shows."""

    text: str
    value: Fraction
    decimals: int | None  # decimals shown; None for a power of two or a bit pattern (exact only)
    sci: bool = False  # written as 1.19e-7: `decimals` counts the mantissa's decimals

    def matches(self, fact: object) -> bool:
        """Whether `fact` is this number: exactly, or, for an `Approx` fact, once rounded as the text rounds."""
        exact = fact.value if isinstance(fact, Approx) else fact
        if isinstance(exact, bool) or not isinstance(exact, int | float | Fraction) or (
                isinstance(exact, float) and not math.isfinite(exact)):
            return False
        if abs(Fraction(exact)) == self.value:
            return True
        if isinstance(exact, float) and 2**-1000 < abs(self.value) < 2**1000 and abs(exact) == float(self.value):
            return True  # 0.1 written in the text is the float 0.1 (and not a number that underflows to 0.0)
        if not isinstance(fact, Approx) or self.decimals is None:
            return False
        if self.sci:
            return Fraction(f"{abs(exact):.{self.decimals}e}") == self.value
        return round(Fraction(abs(exact)), self.decimals) == self.value


@dataclass(frozen=True)
class Approx:
    """A fact the text may state rounded (to the precision the text shows); a percentage is a fraction ×100."""

    value: float


def numbers(text: str) -> list[Stated]:
    """Every number the text states, after placeholders and names are taken out."""
    out = []
    for m in NUMBER.finditer(clean(text)):
        s = m.group(0)
        if s.startswith(("0x", "0b")):
            out.append(Stated(s, Fraction(int(s, 0)), None))
        elif m.group("pow"):
            out.append(Stated(s, Fraction(2) ** int(s[2:].strip("()").replace("−", "-")), None))
        else:
            num = m.group("num").replace(",", "").replace("−", "-")
            mant, _, exp = num.partition("e")
            decimals = len(mant.partition(".")[2])
            value = Fraction(num) / (100 if m.group("pct") else 1)
            out.append(Stated(s, value, decimals + (2 if m.group("pct") else 0), sci=bool(exp)))
    return out


def tables() -> dict[str, dict[str, tuple[str, str]]]:
    """Every ui/text table by module name, read fresh."""
    return {m.name: importlib.import_module(f"ui.text.{m.name}").TEXT for m in pkgutil.iter_modules(ui.text.__path__)}


def digit_sentences() -> dict[str, tuple[str, str]]:
    """Every "module:key" entry of ui/text whose English or 中文 states a number."""
    return {f"{mod}:{key}": pair for mod, table in sorted(tables().items()) for key, pair in table.items()
            if re.search(r"\d", clean(pair[0]) + clean(pair[1]))}


def stated(pair: tuple[str, str]) -> Iterator[tuple[str, Stated]]:
    """(language, number) for every number either translation states."""
    for lang, text in zip(("en", "zh"), pair, strict=True):
        for n in numbers(text):
            yield lang, n
