"""The scaffolding every topic page shares, one helper per part of the page anatomy (../shared/DESIGN.md):
what and why, view switching, downloads of a figure's data, and showing an engine's messages.

A page's main reads like the anatomy: `what_and_why`, `controls` (bound to the URL with `ui.state`),
the live result, the step-through, what was measured, the walkthrough (`ui.state.walkthrough`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui import present
from ui.chrome import guarded_callback
from ui.i18n import say
from ui.markup import md  # noqa: F401  (pages call page.md)

Translator = Callable[..., str]


def what_and_why(T: Translator, *formulas: str) -> None:
    """Part 1: the page title, the idea in a few sentences (`what`), and its key formulas."""
    st.title(T("title"))
    st.markdown(T("what"))
    for f in formulas:
        st.latex(f)


def controls_box(T: Translator) -> DeltaGenerator:
    """The bordered box of a page's main controls, titled; use as `with controls_box(T):`."""
    box = st.container(border=True, key=present.CONTROLS_BOX)  # presenter mode hides it whole
    box.subheader(T("controls"))
    return box


def view_switch(T: Translator, views: Sequence[str], key: str = "view") -> str:
    """A row of view tabs (labels `view.<name>`), bound to session state `key`. Clicking the active tab keeps it
    (a segmented control would otherwise deselect it and leave no view)."""
    last = f"{key}__last"

    def keep() -> None:
        if st.session_state.get(key) is None:
            st.session_state[key] = st.session_state.get(last, views[0])

    value = st.segmented_control(T("view"), list(views), format_func=lambda v: T(f"view.{v}"), key=key,
                                 on_change=guarded_callback(keep)) or st.session_state.get(last, views[0])
    st.session_state[last] = value
    return value


def step_slider(label: str, last: int, key: str) -> int:
    """A slider over steps 0..`last` bound to session `key` (kept in range when the steps change, e.g. a new
    query or a smaller problem); with a single step there is nothing to slide, and no slider (Streamlit
    refuses a slider whose minimum equals its maximum)."""
    if not 0 <= st.session_state.get(key, 0) <= last:
        st.session_state[key] = last if st.session_state.get(key, 0) > last else 0
    if last <= 0:
        return 0
    present.stepper(key, last)  # in presenter mode, ↑ ↓ move it
    return st.slider(label, 0, last, key=key)


def csv_download(label: str, data: pd.DataFrame | list[dict], filename: str, key: str | None = None) -> None:
    """Part 7: a button that downloads the data behind a figure or table as CSV."""
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    st.download_button(label, frame.to_csv(index=False), filename, "text/csv", key=key or f"csv_{filename}")


def notes(said: Sequence[object]) -> None:
    """An engine's notes (Messages), each in the current language."""
    for m in said:
        st.info(say(m))


def display_width(text: str) -> int:
    """Columns `text` takes in a monospace font: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def error_at(T: Translator, key: str, error: object, text: str, window: int | None = None) -> None:
    """An engine error (a CodedError with a `position`: an offset, or a 1-based (line, column)) in the current
    language, and `text` (or that line of it) with a caret under the character it points at (double-width
    characters counted twice, so the caret lands under CJK text); with `window`, only that many characters
    either side of the caret are quoted."""
    st.warning(T(key, msg=say(error)))
    pos = getattr(error, "position", 0)
    if isinstance(pos, tuple):  # (line, column), both 1-based: show that line
        lines = text.splitlines() or [""]
        text, pos = lines[max(0, min(pos[0], len(lines)) - 1)], pos[1] - 1
    pos = max(0, min(pos, len(text)))
    if window is not None and len(text) > 2 * window + 1:  # a long input: quote the part around the caret
        lo, hi = max(0, pos - window), pos + window + 1
        text, pos = ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else ""), pos - lo + (lo > 0)
    st.code(f"{text}\n{' ' * display_width(text[:pos])}^", language=None)


def formatter(T: Translator, prefix: str, options: Sequence[object]) -> Callable[[object], str]:
    """A widget's format_func: each option's `prefix.option` text, translated now, while the page runs (a
    format_func called later, outside the run, e.g. by AppTest, would no longer know the visitor's language)."""
    texts = {o: T(f"{prefix}.{o}") for o in options}
    return texts.__getitem__
