"""User or engine text made safe for markdown: one function, imported by ui.i18n and ui.page alike (it lives
apart so that neither has to import the other)."""

from __future__ import annotations

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|~<>$"})


def md(text: str) -> str:
    """User or engine text made safe to embed in markdown: HTML escaped, markdown punctuation backslashed, so it
    always shows as the characters typed and never as markup."""
    return str(text).translate(_MD_SPECIAL).replace("&", "&amp;")
