"""An HTML snippet of a document with the matched terms in <mark>; every character of user text escaped."""

from __future__ import annotations

import html

from engine.search.analyzer import Token


def highlight(text: str, tokens: list[Token], terms: set[str], width: int = 160) -> str:
    """A window of about `width` characters around the first match, matches wrapped in <mark>."""
    spans = sorted((t.start, t.end) for t in tokens if t.text in terms)
    merged: list[list[int]] = []
    for s, e in spans:  # overlapping tokens (search mode) become one mark
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    first = merged[0][0] if merged else 0
    lo = max(0, min(first - width // 4, len(text) - width))
    hi = min(len(text), lo + width)
    out, cur = ["…" if lo > 0 else ""], lo
    for s, e in merged:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        out.append(html.escape(text[cur:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        cur = e
    out.append(html.escape(text[cur:hi]))
    out.append("…" if hi < len(text) else "")
    return "".join(out)
