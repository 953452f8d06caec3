"""The step-through's animated GIF (ui/export.py, issue #32) and presenter mode's table type (ui/present.py).

The GIF is read back with Pillow (frames, size, durations); the real render goes through kaleido and the system
Chromium with the attention engine's own trace. A step-through too long for a GIF is refused, in both languages.
The presenter's table size is checked against the font size Streamlit's own frontend gives a dataframe."""

from __future__ import annotations

import io
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest
import streamlit
from PIL import Image, ImageChops

from ui import export, present
from ui.i18n import translate
from ui.text.app import TEXT


def _frames(data: bytes) -> list[tuple[Image.Image, int]]:
    """Every frame of a GIF, as RGB, with its duration in ms."""
    out = []
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "GIF"
        for i in range(im.n_frames):
            im.seek(i)
            out.append((im.convert("RGB"), im.info["duration"]))
    return out


def _fake_render(figures: list[go.Figure], width: int, height: int, tick=None) -> list[bytes]:
    """PNGs of the asked size, each a different shade, instead of a browser (the fast loop's stand-in)."""
    out = []
    for i, _ in enumerate(figures):
        buf = io.BytesIO()
        Image.new("RGB", (width, height), (40 * i % 256, 120, 200)).save(buf, "PNG")
        out.append(buf.getvalue())
        if tick is not None:
            tick(i + 1)
    return out


def test_the_gif_has_one_frame_per_step_at_the_chosen_size() -> None:
    asked, ticks = [], []

    def figure(i: int) -> go.Figure:
        asked.append(i)
        return go.Figure(go.Bar(y=[i]))

    anim = export.Animation(("t",), 5, figure)
    captions = [translate(TEXT, "export.gif.step", "en", k=i + 1, n=5) for i in range(5)]
    frames = _frames(export.step_gif(anim, captions, ticks.append, render=_fake_render))
    assert asked == [0, 1, 2, 3, 4] and ticks == [1, 2, 3, 4, 5]
    assert len(frames) == 5
    assert {im.size for im, _ in frames} == {(export.GIF_WIDTH, export.GIF_HEIGHT)}
    assert [d for _, d in frames] == [export.FRAME_MS] * 4 + [export.LAST_MS]
    band = (0, export.GIF_HEIGHT - export.CAPTION_PX, export.GIF_WIDTH, export.GIF_HEIGHT)
    assert ImageChops.difference(frames[0][0].crop(band), frames[1][0].crop(band)).getbbox(), "captions differ"


def test_a_gif_over_its_byte_limit_shrinks_until_it_fits() -> None:
    w, h = 320, 240
    noisy = []
    for i in range(3):  # noise compresses badly: three frames of 320 x 192 take about 180 kB
        buf = io.BytesIO()
        Image.effect_noise((w, h - export.CAPTION_PX), 80 + i).convert("RGB").save(buf, "PNG")
        noisy.append(buf.getvalue())
    assert len(export.gif_from_pngs(noisy, ["a", "b", "c"], (w, h))) > 100_000
    data = export.gif_from_pngs(noisy, ["a", "b", "c"], (w, h), max_bytes=100_000)
    frames = _frames(data)
    assert len(data) <= 100_000 and len(frames) == 3
    assert frames[0][0].width < w


def test_a_step_through_longer_than_a_gif_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "MAX_FRAMES", 3)  # the bound itself, not its value, is what is tested
    anim = export.Animation(("t",), 4, lambda i: pytest.fail("nothing is drawn when refused"))
    with pytest.raises(export.TooManyFrames):
        export.step_gif(anim, ["x"] * anim.steps, render=_fake_render)
    ok = export.Animation(("t",), 3, lambda i: go.Figure())
    assert len(_frames(export.step_gif(ok, ["x"] * ok.steps, render=_fake_render))) == 3


@pytest.mark.slow
def test_the_attention_step_through_renders_through_kaleido_one_frame_per_tile() -> None:
    import torch

    from engine.attention import plots as P
    from engine.attention import tiled_attention

    g = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(1, 64, 16, generator=g) for _ in range(3))
    _, trace = tiled_attention(q, k, v, True, block_q=32, block_k=32, return_trace=True)
    n = len(trace.steps)
    anim = export.Animation(("attention",), n, lambda i: P.tile_grid(trace, i))
    frames = _frames(export.step_gif(anim, [f"step {i + 1} of {n}" for i in range(n)]))
    assert len(frames) == n >= 2
    assert {im.size for im, _ in frames} == {(export.GIF_WIDTH, export.GIF_HEIGHT)}
    figure_area = (0, 0, export.GIF_WIDTH, export.GIF_HEIGHT - export.CAPTION_PX)
    assert ImageChops.difference(frames[0][0].crop(figure_area), frames[1][0].crop(figure_area)).getbbox(), \
        "the current tile moves from frame to frame"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_attention_page_offers_its_gif_and_refuses_too_many_steps(lang: str) -> None:
    from tests.pages.apptest import assert_clean, open_page

    at = open_page("pages/attention.py", lang)  # 128 / 32: 16 tiles
    assert_clean(at)
    assert at.button(key="_glassbox_export_gif").label == translate(TEXT, "export.gif.make", lang, n=16)
    at = open_page("pages/attention.py", lang, tn="64", tb="8")  # 8 x 8 = 64 tiles: more than MAX_FRAMES
    assert_clean(at)
    assert not [b for b in at.button if b.key == "_glassbox_export_gif"]
    refused = translate(TEXT, "export.gif.too_many", lang, n=64, max=export.MAX_FRAMES)
    assert refused in [c.value for c in at.caption]


@pytest.mark.slow
@pytest.mark.parametrize(("page", "slider", "params"), [
    ("pages/search.py", "tstep", {"view": "trace"}), ("pages/vqvae.py", "tstep", {"view": "toy"}),
    ("pages/ddp.py", "state", {}), ("pages/autograd.py", "node", {})])
def test_each_step_through_offers_a_gif_of_as_many_frames_as_its_slider_has_steps(page: str, slider: str,
                                                                                   params: dict) -> None:
    from tests.pages.apptest import assert_clean, open_page

    at = open_page(page, **params)
    assert_clean(at)
    steps = int(at.slider(key=slider).max) + 1  # the page's own stepper: 0..last
    assert at.button(key="_glassbox_export_gif").label == translate(TEXT, "export.gif.make", "en", n=steps)


@pytest.mark.slow
def test_the_gif_button_queues_a_job_whose_file_is_then_offered() -> None:
    from tests.pages.apptest import assert_clean, open_page, settle

    at = open_page("pages/attention.py", tn="64", tb="32")  # 2 x 2 tiles
    at.button(key="_glassbox_export_gif").click().run()
    settle(at)
    assert_clean(at)
    assert not [b for b in at.button if b.key == "_glassbox_export_gif"], "made: no button to make it again"
    files = [e.proto.label for e in at.get("download_button")]
    done = translate(TEXT, "export.gif", "en", n=4, mb="").split("MB")[0].rsplit(",", 1)[0]
    assert any(label.startswith(done) for label in files), files


def _streamlit_dataframe_px() -> float:
    """The px size Streamlit's frontend draws st.dataframe's cells at: the theme size its grid uses (read from
    the bundled JavaScript), in rem of the default root size."""
    js = Path(streamlit.__file__).parent / "static" / "static" / "js"
    grid = next(p.read_text(errors="ignore") for p in js.glob("DataFrame.*.js"))
    size = re.search(r"baseFontStyle:`\$\{[^}]*\} \$\{\w+\(\w+\.fontSizes\.(\w+)\)\}px`", grid).group(1)
    for p in js.glob("*.js"):
        m = re.search(r"baseFontSize:(\d+),[^}]*?\b" + size + r":`([\d.]+)rem`", p.read_text(errors="ignore"))
        if m:
            return int(m.group(1)) * float(m.group(2))
    raise AssertionError("Streamlit's theme sizes not found")


def test_presenter_mode_draws_tables_at_least_20_px() -> None:
    css = present.css()
    table = re.search(r'\[data-testid="stTable"\] th \{ font-size: (\d+)px', css)
    assert table and int(table.group(1)) >= 20
    zoom = re.search(r'\[data-testid="stDataFrame"\]\) \{\s*zoom: ([\d.]+);', css)
    assert zoom, "a dataframe's canvas ignores font-size: presenter mode must zoom it"
    base = _streamlit_dataframe_px()
    assert base == present.DATAFRAME_PX
    assert base < 20 <= base * float(zoom.group(1))  # without the zoom a dataframe would stay small


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_specdec_offers_its_draft_and_verify_steps_as_a_gif(lang: str) -> None:
    """One frame per draft-and-verify step: as many as the step table has rows (40 new tokens: under the cap)."""
    from tests.pages.apptest import assert_clean, open_page

    at = open_page("pages/specdec.py", lang, new="40")
    assert_clean(at)
    steps = len(next(d.value for d in at.dataframe if len(d.value.columns) >= 8))  # the step table
    assert 0 < steps <= export.MAX_FRAMES
    assert at.button(key="_glassbox_export_gif").label == translate(TEXT, "export.gif.make", lang, n=steps)
