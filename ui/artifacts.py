"""The "yours" view every page shares (issue #33): a paste box, an upload and a bundled example, read by an
engine reader (engine.artifacts rules) and drawn by the page.

The URL holds the view, never the user's data: what was pasted or uploaded lives in this session only, and
is dropped with it. A reader's ArtifactError is shown translated, with the position it points at.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from engine.artifacts import ArtifactError
from ui.i18n import say, translator
from ui.markup import md
from ui.page import error_at
from ui.text.app import TEXT

T_APP = translator(TEXT)
PASTE_LIMIT = 200_000  # characters a paste box takes; larger artifacts come as an upload (maxUploadSize)


@dataclass(frozen=True)
class Brought:
    """What the visitor brought: the raw data, where it came from ("example", "paste" or "upload") and its name."""

    data: str | bytes
    source: str
    name: str


def bring(key: str, example: str | bytes, example_name: str, types: Sequence[str], paste: bool = True,
          help_text: str | None = None) -> Brought:
    """The paste box (for text formats), the upload and the example; returns what to read: the upload if one
    is given, else the pasted text, else the bundled example (labelled as such where it is drawn)."""
    cols = st.columns([3, 2]) if paste else [st.container()]
    text = ""
    if paste:
        text = cols[0].text_area(T_APP("yours.paste"), key=f"{key}.paste", height=160, max_chars=PASTE_LIMIT,
                                 help=help_text)
    up = cols[-1].file_uploader(T_APP("yours.upload"), type=list(types) or None, key=f"{key}.upload")
    if up is not None:
        return Brought(up.getvalue(), "upload", up.name)
    if text.strip():
        return Brought(text, "paste", "")
    return Brought(example, "example", example_name)


def source_caption(b: Brought) -> None:
    """Say what is drawn: the bundled example (written by the project in the tool's format), a paste, or a file."""
    if b.source == "example":
        st.caption(T_APP("yours.example", name=b.name))
    elif b.source == "upload":
        st.caption(T_APP("yours.from_upload", name=b.name))
    else:
        st.caption(T_APP("yours.from_paste", n=len(b.data)))


def read_or_explain(T: Callable[..., str], read: Callable[[str | bytes], Any], b: Brought) -> Any | None:
    """Run the engine reader on `b`; on ArtifactError show the translated message (with the line it points at
    for a paste) and return None. Nothing else is caught here: any other error is a bug in the reader."""
    try:
        return read(b.data)
    except ArtifactError as e:
        pos = e.position
        if isinstance(pos, tuple) and isinstance(b.data, str):
            error_at(T_APP, "yours.error", e, b.data, window=40)
        else:
            where = f" ({md(pos)})" if isinstance(pos, str) and pos else ""  # a JSON path may echo the user's keys
            st.warning(T_APP("yours.error", msg=say(e)) + where)
        return None
