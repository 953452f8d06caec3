"""Exports of a page's current view (issue #32): one self-contained HTML file, the PNG of every figure and
the step-through as an animated GIF.

Every page gets the first two without a line of its own: while a page runs, the figures and tables it draws
are noted (`collect` wraps Streamlit's plotly_chart, dataframe and table for this run's thread only), and
`offer` draws download buttons under the page whose data is made only when clicked (Streamlit's callable
`data`). A page with a step-through adds one line for the third, the GIF.

- HTML: the page title, the step's text in presenter mode, the settings (the URL's parameters), a link back to
  the live view, the figures interactive with plotly.js inlined once, and the tables. Nothing in it is fetched:
  it opens with networking off.
- PNG: each figure at 1600 px wide through kaleido and the system Chromium (MathJax off, so nothing is fetched),
  zipped. Rendering is bounded: at most MAX_FIGURES figures, in the server's one warm export browser
  (`ui.render`), each render with a deadline past which that browser is killed.
- GIF: the page's step-through, one frame per step. A page's step-through part hands its figure per step over
  with `animate(key, steps, figure)`; the visitor's button queues the frames on the server's scheduler
  (`ui.jobs.background`, a forked child at low priority) with progress, each rendered by kaleido at
  GIF_WIDTH × GIF_HEIGHT with "step K of N" under it, assembled by Pillow. Bounded: at most MAX_FRAMES frames
  (a longer step-through is refused with a message) and MAX_GIF_BYTES (frames shrink until it fits).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import html
import io
import shutil
import subprocess
import threading
import time
import zipfile
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui import jobs, render
from ui.cache import cached_result
from ui.i18n import current_lang, translator
from ui.server import visitor
from ui.text.app import TEXT

T_APP = translator(TEXT)
PNG_WIDTH, PNG_HEIGHT = 1600, 900
MAX_FIGURES = 24  # a view with more figures exports the first ones (rendering is a browser per click)
MAX_TABLE_ROWS = 2000  # rows of one table kept in the HTML
_run = threading.local()  # this run's figures and tables: each session's script runs in its own thread
_ORIGINAL: dict[str, Callable[..., Any]] = {}
GIF_WIDTH, GIF_HEIGHT = 960, 600  # every frame, its caption band included
CAPTION_PX = 48  # the band under the figure that says "step K of N"
MAX_FRAMES = 48  # a longer step-through is refused: a GIF is for a chat or a slide (the VQ-VAE toy has 41)
MAX_GIF_BYTES = 10 * 2**20  # frames shrink until the file fits
FRAME_MS, LAST_MS = 900, 2700  # each step's time on screen; the last one stays longer before the loop
GIF_FRAME_S = 0.5  # render and encoding per frame, browser start spread (16 frames: 7.3 s on 2 busy cores)


@dataclass(frozen=True)
class Animation:
    """A page's step-through for the GIF: `figure(i)` draws step i of `steps`; `key` names what it shows."""

    key: Hashable
    steps: int
    figure: Callable[[int], go.Figure]


class TooManyFrames(ValueError):
    """A step-through longer than a GIF may be (MAX_FRAMES)."""


def collect() -> None:
    """Call once per run, before the page: start noting the figures and tables it draws."""
    _run.figures, _run.tables, _run.animation, _run.first_figure = [], [], None, None
    if _ORIGINAL:
        return
    for name in ("plotly_chart", "graphviz_chart", "dataframe", "table"):
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
            elif name in ("dataframe", "table") and data is not None:
                _run.tables.append(data)
            if _run.first_figure is None and name in ("plotly_chart", "graphviz_chart") and data is not None:
                _run.first_figure = (name, data)
        return original(self, data, *args, **kwargs)

    draw.__name__, draw.__doc__ = original.__name__, original.__doc__
    return draw


def first_figure() -> tuple[str, Any] | None:
    """The first figure this run drew, as (the st function that drew it, its data): a plotly figure or a graphviz
    graph; else the first table, as ("dataframe", data); None when the page drew neither."""
    first = getattr(_run, "first_figure", None)
    if first is not None:
        return first
    tables = getattr(_run, "tables", None)
    return ("dataframe", tables[0]) if tables else None


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
    """Each figure as a PNG `width` px wide, rendered by the server's one warm export browser (nothing fetched);
    ui.render.RenderError when the render fails or runs past its deadline."""
    return render.figures_png([fig.to_dict() for fig in figures[:MAX_FIGURES]], width, height) if figures else []


def animate(key: Hashable, steps: int, figure: Callable[[int], go.Figure]) -> None:
    """From a page's step-through part: its figure at each step 0..`steps`-1, offered as the view's GIF. `key`
    names what the figures show (the trace's settings); the first step-through a run hands over is the one."""
    if getattr(_run, "figures", None) is not None and getattr(_run, "animation", None) is None:
        _run.animation = Animation(key, steps, figure)


def render_pngs(figures: list[go.Figure], width: int, height: int, tick: jobs.Tick | None = None) -> list[bytes]:
    """Each figure as a PNG of `width` × `height` px, rendered by kaleido in one system Chromium (nothing fetched),
    calling `tick(done)` after each, so a job shows its progress and can stop between two frames."""
    import kaleido

    render.use_system_chromium()
    opts = {"format": "png", "width": width, "height": height}

    async def run() -> list[bytes]:
        out: list[bytes] = []
        async with kaleido.Kaleido(n=1, mathjax=False) as k:
            for fig in figures:
                out.append(await k.calc_fig(fig.to_dict(), opts=opts))
                if tick is not None:
                    tick(len(out))  # may raise Cancelled: leaving the block closes the browser
        return out

    return asyncio.run(run())


@functools.cache
def _font(size: int) -> Any:
    """A font with Latin and CJK glyphs (fontconfig's choice for Chinese), else Pillow's own (Latin only)."""
    from PIL import ImageFont

    with contextlib.suppress(OSError, subprocess.SubprocessError, TypeError):
        path = subprocess.run([shutil.which("fc-match") or "fc-match", "-f", "%{file}", "sans:lang=zh"],
                              capture_output=True, text=True, timeout=5, check=True).stdout
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def gif_from_pngs(pngs: list[bytes], captions: list[str], size: tuple[int, int] = (GIF_WIDTH, GIF_HEIGHT),
                  max_bytes: int = MAX_GIF_BYTES) -> bytes:
    """An endlessly looping GIF: each PNG on a white frame of `size` with its caption in a band below it,
    FRAME_MS each (LAST_MS for the last). Frames shrink by a quarter until the file is at most `max_bytes`."""
    from PIL import Image, ImageDraw

    w, h = size
    frames = []
    for png, caption in zip(pngs, captions, strict=True):
        frame = Image.new("RGB", (w, h), "white")
        with Image.open(io.BytesIO(png)) as fig:
            fig = fig.convert("RGB")
            fig.thumbnail((w, h - CAPTION_PX))  # a figure rendered at another size still fits
            frame.paste(fig, ((w - fig.width) // 2, 0))
        ImageDraw.Draw(frame).text((16, h - CAPTION_PX // 2), caption, fill="#31333f", font=_font(CAPTION_PX // 2),
                                   anchor="lm")
        frames.append(frame)
    durations = [FRAME_MS] * (len(frames) - 1) + [LAST_MS]
    while True:
        buf = io.BytesIO()
        frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0)
        if buf.tell() <= max_bytes or frames[0].width <= 160:
            return buf.getvalue()
        frames = [f.resize((f.width * 3 // 4, f.height * 3 // 4), Image.Resampling.LANCZOS) for f in frames]


def step_gif(anim: Animation, captions: list[str], tick: jobs.Tick | None = None,
             render: Callable[..., list[bytes]] = render_pngs) -> bytes:
    """The step-through `anim` as an animated GIF, one frame per step with `captions[i]` under it; refused
    (TooManyFrames) beyond MAX_FRAMES steps."""
    if not 0 < anim.steps <= MAX_FRAMES:
        raise TooManyFrames(f"{anim.steps} steps; a GIF holds 1 to {MAX_FRAMES}")
    figures = [anim.figure(i) for i in range(anim.steps)]
    return gif_from_pngs(render(figures, GIF_WIDTH, GIF_HEIGHT - CAPTION_PX, tick), captions)


def _offer_gif(slug: str, anim: Animation) -> None:
    """The step-through's GIF: refused beyond MAX_FRAMES steps; else a button that queues it as a job on the
    server's slots (its progress shown meanwhile), then the file's download."""
    if anim.steps > MAX_FRAMES:
        st.caption(T_APP("export.gif.too_many", n=anim.steps, max=MAX_FRAMES))
        return
    captions = [T_APP("export.gif.step", k=i + 1, n=anim.steps) for i in range(anim.steps)]  # in this run's language
    key = ("export-gif", visitor(), slug, anim.key, current_lang())  # one visitor's view: never another's data
    found, data = cached_result(key)
    if not found:  # the button, then the job's progress once asked for
        start = st.button(T_APP("export.gif.make", n=anim.steps), key="_glassbox_export_gif",
                          icon=":material/animation:")
        # the figures are drawn here, in the visitor's run, when asked: their labels follow this run's language
        # (read from the session, which the job's forked child does not have); the job only renders them
        drawn = [anim.figure(i) for i in range(anim.steps)] if start else []
        frozen = Animation(anim.key, anim.steps, drawn.__getitem__)
        data = jobs.background(key, lambda tick: step_gif(frozen, captions, tick), anim.steps, start_now=start,
                               unit_s=GIF_FRAME_S)
    if data is not None:
        st.download_button(T_APP("export.gif", n=anim.steps, mb=f"{len(data) / 2**20:.1f}"), data,
                           f"{slug}-steps.gif", "image/gif", key="_glassbox_export_gif_file", on_click="ignore")


def _zip(named: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in named.items():
            z.writestr(name, data)
    return buf.getvalue()


def _pngs_zip(slug: str, figures: list[go.Figure], failed: str) -> bytes:
    """The figures' PNGs, zipped; when the render fails, a zip with `failed` (in the visitor's language, formatted
    in their run: this is called outside it) and the reason, instead of Streamlit's generic download error."""
    try:
        return _zip({f"{slug}-figure-{i + 1:02d}.png": b for i, b in enumerate(figures_png(figures))})
    except render.RenderError as e:
        return _zip({f"{slug}-figures-not-rendered.txt": f"{failed}\n\n{e}\n".encode()})


def offer(slug: str, title: str, text: str = "") -> None:
    """Under the page: download the view as HTML, its figures as PNG and its step-through as a GIF, each made only
    when asked for."""
    figures, tables = list(getattr(_run, "figures", [])), list(getattr(_run, "tables", []))
    settings = {k: v for k, v in st.query_params.to_dict().items()}
    url = _live_url(slug, settings)
    animation = getattr(_run, "animation", None)
    # keyed: a rerun the visitor did not cause (a background timing ending) redrew an unkeyed expander closed
    with st.expander(T_APP("export.title"), icon=":material/download:", key="_glassbox_exports"):
        c = st.columns(3)
        c[0].download_button(T_APP("export.html"), lambda: view_html(title, url, settings, text, figures, tables),
                             f"{slug}-view.html", "text/html", key="_glassbox_export_html", on_click="ignore")
        if figures:
            c[1].download_button(
                T_APP("export.png", n=min(len(figures), MAX_FIGURES)),
                functools.partial(_pngs_zip, slug, figures, T_APP("export.png.failed")),
                f"{slug}-figures.zip", "application/zip", key="_glassbox_export_png", on_click="ignore")
        if animation is not None:
            with c[2]:
                _offer_gif(slug, animation)


def _live_url(slug: str, settings: dict[str, str]) -> str:
    base = ""
    with contextlib.suppress(Exception):  # st.context.url is missing outside a browser session (AppTest)
        base = str(st.context.url).split("?")[0].rsplit("/", 1)[0] if st.context.url else ""
    query = urlencode(settings)
    return f"{base}/{slug}?{query}" if base else f"{slug}?{query}"
