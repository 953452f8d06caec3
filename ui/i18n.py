"""One small translation helper: each page owns a table {key: (English, 中文)} in `ui/text/`.

The current language lives in `st.session_state["lang"]` (mirrored in the URL by `ui.chrome`).
Tables are plain data so a test can check every entry has both languages and the same placeholders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import streamlit as st

from ui.markup import md
from ui.text.messages import TEXT as MESSAGES

LANGS: dict[str, str] = {"en": "English", "zh": "中文"}
DEFAULT_LANG = "en"
Table = Mapping[str, tuple[str, str]]


def current_lang() -> str:
    """The language chosen in the sidebar (or the URL), defaulting to English."""
    lang = st.session_state.get("lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def translate(table: Table, key: str, lang: str, **fmt: object) -> str:
    """Look `key` up in `table` for `lang` and fill in `fmt`; a missing key raises KeyError."""
    text = table[key][1 if lang == "zh" else 0]
    return text.format(**fmt) if fmt else text


class PlotLabels(Mapping[str, str]):
    """An engine's plot labels, each read in the language of the moment it is read: a view module may build them
    once, at import, and a visitor who switches language still gets theirs (a dict built at import kept the first
    visitor's language for everyone)."""

    def __init__(self, table: Table, keys: list[str]) -> None:
        self._table, self._keys = table, keys

    def __getitem__(self, key: str) -> str:
        if key not in self._keys:
            raise KeyError(key)
        return translate(self._table, f"plot.{key}", current_lang())

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def plot_labels(table: Table, defaults: Mapping[str, str]) -> Mapping[str, str]:
    """An engine's plot labels in the current language: key k of `defaults` is "plot.k" in the page's table."""
    return PlotLabels(table, list(defaults))


def say(said: object, markdown: bool = True) -> str:
    """An engine's Message or CodedError (anything with `code` and `params`) in the current language. Its
    values often echo what a visitor typed, so for a markdown element (the default: st.info, st.warning,
    st.caption, st.markdown) every text value is escaped to show as typed, never as markup; pass
    `markdown=False` for plain-text places (table cells, figure labels)."""
    params = {k: md(v) if markdown and isinstance(v, str) else v for k, v in said.params.items()}
    return translate(MESSAGES, said.code, current_lang(), **params)


def translator(table: Table) -> Callable[..., str]:
    """Return `T(key, **fmt)` bound to `table` that follows the current language on every call."""

    def T(key: str, **fmt: object) -> str:
        return translate(table, key, current_lang(), **fmt)

    return T
