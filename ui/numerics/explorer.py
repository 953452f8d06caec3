"""The numerics page's bit explorer: type a value or a bit pattern, flip bits, see how the value was rounded into
the format and what it is in every other format. Every number drawn was returned by engine.numerics."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from engine.numerics import FORMATS, decode_encoding, encode
from engine.numerics.parse import MAX_INPUT_CHARS, ParseError, parse_input
from engine.numerics.rounding import rounding_decision
from ui.i18n import say, translator
from ui.numerics.formats import NAMES
from ui.state import choice, publish
from ui.text.numerics import TEXT

T = translator(TEXT)
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")  # bit labels must be unique: value, then position
PARAMS = [("fmt", "fp16", choice(NAMES)), ("x", "0.1", str)]


def view() -> None:
    """Type a value or pattern, flip bits, see it in every format."""
    def on_format_change() -> None:  # a pattern belongs to the old format: carry its value over instead
        old = st.session_state.get("fmt_prev", "fp16")
        try:
            p = parse_input(st.session_state["x"], old)
            if p.bits is not None:
                st.session_state["x"] = repr(decode_encoding(p.bits, old).value)
        except ValueError:
            pass

    c1, c2 = st.columns([1, 3])
    fmt = c1.selectbox(T("explorer.format"), NAMES, key="fmt", on_change=on_format_change)
    st.session_state["fmt_prev"] = fmt
    text = c2.text_input(T("explorer.input"), key="x", help=T("explorer.help"), max_chars=MAX_INPUT_CHARS)
    try:
        parsed = parse_input(text, fmt)
    except ParseError as e:
        st.warning(T("explorer.error_bad", msg=say(e)))
        return
    if parsed.note:
        st.info(say(parsed.note))
    enc = decode_encoding(parsed.bits, fmt) if parsed.bits is not None else encode(parsed.value, fmt)
    x = enc.value if parsed.bits is not None else parsed.value
    spec = FORMATS[fmt]

    def flip(group: str, positions: list[int]) -> None:
        chosen = set(st.session_state[f"bits_{group}_{enc.bits}_{fmt}"] or [])
        bits = enc.bits & ~sum(1 << p for p in positions) | sum(1 << p for p in chosen)
        st.session_state["x"] = f"0x{bits:0{(spec.bits + 3) // 4}X}"

    st.caption(T("explorer.bits"))
    top = spec.man_bits + spec.exp_bits
    groups = [(g, p) for g, p in [("sign", [top] if spec.signed else []), ("exponent", list(range(top - 1,
              spec.man_bits - 1, -1))), ("mantissa", list(range(spec.man_bits - 1, -1, -1)))] if p]
    cols = st.columns([max(len(p), 1 if g == "sign" else 2) for g, p in groups])

    def label(p: int) -> str:
        return f"{enc.bits >> p & 1}{str(p).translate(SUBSCRIPT)}"

    for col, (group, positions) in zip(cols, groups if enc.bits is not None else [], strict=False):
        col.pills(T(f"explorer.{group}"), positions, selection_mode="multi", format_func=label,
                  default=[p for p in positions if enc.bits >> p & 1],
                  key=f"bits_{group}_{enc.bits}_{fmt}", on_change=flip, args=(group, positions))
    cls = T(f"class.{enc.cls}")
    st.markdown(f"**{T('explorer.stored', fmt=fmt)}**: `{html.escape(enc.exact)}` · {cls} · `{enc.hex}`")
    st.caption(T("explorer.formula"))
    if parsed.bits is None:
        rounding(parsed.value, fmt, enc)
    st.subheader(T("explorer.every"))
    # the edited format's row is the encoding of what was typed (its error against the typed value), not the
    # stored value decoded again, whose error would always be 0
    rows = [enc if n == fmt else encode(x, n) for n in NAMES]
    st.dataframe(pd.DataFrame({
        T("col.format"): [r.format for r in rows], T("col.bits"): [r.bit_string for r in rows],
        T("col.hex"): [r.hex for r in rows], T("col.class"): [T(f"class.{r.cls}") for r in rows],
        T("col.value"): [r.exact for r in rows], T("col.error"): [_error(r, r.error) for r in rows],
        T("col.rel"): [_error(r, r.rel_error) for r in rows],
    }), hide_index=True, width="stretch")
    st.caption(T("explorer.torch_note"))
    publish("fmt", "x")


def rounding(x: float, fmt: str, enc) -> None:
    """How the typed value was rounded into the format: its two neighbours, the ulp between them, the error
    and the rule that chose (nearest, ties to even, overflow, saturation)."""
    d = rounding_decision(x, fmt)
    st.subheader(T("explorer.rounding", fmt=fmt))
    c = st.columns(4)
    c[0].metric(T("explorer.below"), _g(d.below))
    c[1].metric(T("explorer.above"), _g(d.above))
    c[2].metric(T("explorer.ulp"), _g(d.ulp))
    rel = f"{enc.rel_error:.3%}" if enc.error_kind == "finite" else _error(enc, enc.rel_error)
    c[3].metric(T("explorer.error"), _error(enc, enc.error), T("explorer.rel", rel=rel), delta_color="off")
    if d.via is not None:
        st.caption(say(d.via))
    st.info(say(d.reason))


def _g(v: float) -> str:
    return f"{v:.10g}"


def _error(enc, value: float) -> str:
    """An error as a number, or why there is none: 65520 in fp16 overflows to inf, an error the engine does not
    make a NaN of."""
    kind = enc.error_kind
    if kind == "finite":
        return f"{value:.3e}"
    return T(f"err.{kind}", value=enc.exact if kind == "overflow" else enc.input)

