"""An HTML snippet of a document with the matched terms in <mark>; every character of user text escaped, for
HTML and for markdown alike (pages render snippets with a markdown element)."""

from __future__ import annotations

from engine.search.analyzer import Token

# characters markdown (and the math that markdown elements render) would read as syntax, as numeric
# entities: the browser shows them as typed and no markdown parser sees an image, a link or a formula
# (":" and "." too, so that no bare address becomes a link); HTML's own specials in the same single pass
_INERT = str.maketrans({**{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~$:"},
                        "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def inert(text: str) -> str:
    """`text` escaped for HTML, with every character markdown would interpret as an entity."""
    return text.translate(_INERT)


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
        out.append(inert(text[cur:s]))
        out.append(f"<mark>{inert(text[s:e])}</mark>")
        cur = e
    out.append(inert(text[cur:hi]))
    out.append("…" if hi < len(text) else "")
    return "".join(out)
