"""Exports of a page's current view (issue #32): one self-contained HTML file and the PNG of every figure.

Every page gets them without a line of its own: while a page runs, the figures and tables it draws are noted
(`collect` wraps Streamlit's plotly_chart, dataframe and table for this run's thread only), and `offer` draws
two download buttons under the page whose data is made only when clicked (Streamlit's callable `data`).

- HTML: the page title, the step's text in presenter mode, the settings (the URL's parameters), a link back to
  the live view, the figures interactive with plotly.js inlined once, and the tables. Nothing in it is fetched:
  it opens with networking off.
- PNG: each figure at 1600 px wide through kaleido and the system Chromium (MathJax off, so nothing is fetched),
  zipped. Rendering is bounded: at most MAX_FIGURES figures, in one browser started for the click.

What it leaves out: the animated GIF of a step-through needs each page's frames, and is not made here.
"""

from __future__ import annotations

import contextlib
import html
import io
import os
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui.i18n import translator
from ui.text.app import TEXT

T_APP = translator(TEXT)
PNG_WIDTH, PNG_HEIGHT = 1600, 900
MAX_FIGURES = 24  # a view with more figures exports the first ones (rendering is a browser per click)
MAX_TABLE_ROWS = 2000  # rows of one table kept in the HTML
CHROMIUM = os.environ.get("GLASSBOX_CHROMIUM", "/usr/bin/chromium")
_run = threading.local()  # this run's figures and tables: each session's script runs in its own thread
_ORIGINAL: dict[str, Callable[..., Any]] = {}


def collect() -> None:
    """Call once per run, before the page: start noting the figures and tables it draws."""
    _run.figures, _run.tables = [], []
    if _ORIGINAL:
        return
    for name in ("plotly_chart", "dataframe", "table"):
        original = getattr(DeltaGenerator, name)
        _ORIGINAL[name] = original
        setattr(DeltaGenerator, name, _noting(name, original))
        # st.plotly_chart and its kin were bound to the main container when streamlit was imported
        setattr(st, name, getattr(st._main, name))  # type: ignore[attr-defined]


def _noting(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def draw(self: DeltaGenerator, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        figures = getattr(_run, "figures", None)
        if figures is not None:
            if name == "plotly_chart" and isinstance(data, go.Figure):
                figures.append(data)
            elif name != "plotly_chart" and data is not None:
                _run.tables.append(data)
        return original(self, data, *args, **kwargs)

    draw.__name__, draw.__doc__ = original.__name__, original.__doc__
    return draw


def _frame(data: Any) -> pd.DataFrame | None:
    if isinstance(data, pd.DataFrame):
        return data
    try:
        frame = pd.DataFrame(data)
    except (ValueError, TypeError):
        return None
    return frame if frame.size else None


def view_html(title: str, url: str, settings: dict[str, str], text: str, figures: list[go.Figure],
              tables: list[Any]) -> str:
    """One self-contained HTML file of a view: its text, settings and link, figures (plotly.js inlined once,
    still interactive) and tables. Every string from the page is escaped."""
    parts = [f"<h1>{html.escape(title)}</h1>",
             f'<p><a href="{html.escape(url, quote=True)}">{html.escape(T_APP("export.live"))}</a> · '
             f"{html.escape(T_APP('export.made', when=time.strftime('%Y-%m-%d %H:%M %Z')))}</p>"]
    if text:
        parts.append(f"<p class='step'>{html.escape(text)}</p>")
    if settings:
        rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in settings.items())
        parts.append(f"<h2>{html.escape(T_APP('export.settings'))}</h2><table>{rows}</table>")
    for i, fig in enumerate(figures):
        parts.append(pio.to_html(fig, include_plotlyjs=(i == 0), full_html=False, config={"responsive": True}))
    for data in tables:
        frame = _frame(data)
        if frame is not None:
            parts.append(frame.head(MAX_TABLE_ROWS).to_html(index=False, escape=True, border=0))
    style = ("body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem}"
             "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ddd;padding:4px 8px}"
             ".step{font-size:1.3rem}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")


def figures_png(figures: list[go.Figure], width: int = PNG_WIDTH, height: int = PNG_HEIGHT) -> list[bytes]:
    """Each figure as a PNG `width` px wide, rendered by kaleido in one system Chromium (nothing fetched)."""
    import kaleido

    if not figures:
        return []
    os.environ.setdefault("BROWSER_PATH", CHROMIUM)  # choreographer's way to the system browser
    with tempfile.TemporaryDirectory(prefix="glassbox-png-") as tmp:
        specs = [{"fig": fig.to_dict(), "path": str(Path(tmp) / f"{i:02d}.png"),
                  "opts": {"format": "png", "width": width, "height": height}}
                 for i, fig in enumerate(figures[:MAX_FIGURES])]
        kaleido.write_fig_from_object_sync(specs, kopts={"mathjax": False}, cancel_on_error=True)
        return [Path(s["path"]).read_bytes() for s in specs]


def _zip(named: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in named.items():
            z.writestr(name, data)
    return buf.getvalue()


def offer(slug: str, title: str, text: str = "") -> None:
    """Under the page: download the view as HTML, and its figures as PNG; both are made only when clicked."""
    figures, tables = list(getattr(_run, "figures", [])), list(getattr(_run, "tables", []))
    settings = {k: v for k, v in st.query_params.to_dict().items()}
    url = _live_url(slug, settings)
    with st.expander(T_APP("export.title"), icon=":material/download:"):
        c = st.columns(2)
        c[0].download_button(T_APP("export.html"), lambda: view_html(title, url, settings, text, figures, tables),
                             f"{slug}-view.html", "text/html", key="_glassbox_export_html", on_click="ignore")
        if figures:
            c[1].download_button(
                T_APP("export.png", n=min(len(figures), MAX_FIGURES)),
                lambda: _zip({f"{slug}-figure-{i + 1:02d}.png": b for i, b in enumerate(figures_png(figures))}),
                f"{slug}-figures.zip", "application/zip", key="_glassbox_export_png", on_click="ignore")


def _live_url(slug: str, settings: dict[str, str]) -> str:
    base = ""
    with contextlib.suppress(Exception):  # st.context.url is missing outside a browser session (AppTest)
        base = str(st.context.url).split("?")[0].rsplit("/", 1)[0] if st.context.url else ""
    query = urlencode(settings)
    return f"{base}/{slug}?{query}" if base else f"{slug}?{query}"
