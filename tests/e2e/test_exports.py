"""Exports of a view (#32), downloaded from the page as a visitor would: the HTML opens with every request
blocked and still draws its figures; the PNGs are at least 1600 px wide; the GIF holds a frame per step. The PNG
and GIF tests also time them against #32's budgets (a PNG export within 5 s, a GIF within 20 s): they run in the
budget phase, alone on the cores."""

from __future__ import annotations

import io
import struct
import time
import zipfile

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import wait_for_app_run
from ui.registry import TOPICS

pytestmark = pytest.mark.e2e
EXPORT_S, GIF_S = 5.0, 20.0  # #32's budgets: an HTML or PNG export, and a GIF (with progress)


def _exports(page):
    return page.get_by_test_id("stExpander").filter(has_text="Export this view").last  # a rerun's stale copy


def _download(page, label: str, tries: int = 3) -> bytes:
    """Click the export's button and read the file. A rerun the test did not cause (a background timing that
    ends) can redraw the expander closed, or replace the button under the click: then open it and click again."""
    button = page.get_by_test_id("stDownloadButton").filter(has_text=label).last
    for attempt in range(1, tries + 1):
        wait_for_app_run(page, timeout_ms=300_000)
        if not button.is_visible():
            _exports(page).click()  # closed: its header is all there is to click
        try:
            with page.expect_download(timeout=60_000) as info:
                button.click(timeout=30_000)
            return open(info.value.path(), "rb").read()
        except PlaywrightError:
            if attempt == tries:
                raise
    raise AssertionError("unreachable")


def _open_exports(page, url: str, tries: int = 2) -> None:
    """Open the view and its export expander, drawn at the end of the page's run. On a fresh server the first
    visit's run has been seen (once, under load, on the API-export page while its Keras jobs ended) to end without
    it: a second visit of the same URL then draws it."""
    for attempt in range(1, tries + 1):
        page.goto(url)
        wait_for_app_run(page, timeout_ms=300_000)
        expect(page.get_by_test_id("stProgress")).to_have_count(0, timeout=300_000)  # the view's own work is done
        try:
            expect(_exports(page)).to_be_visible(timeout=60_000)
            break
        except AssertionError:
            if attempt == tries:
                raise
    _exports(page).click()


@pytest.mark.parametrize("slug", [t.slug for t in TOPICS])
def test_the_html_export_opens_offline_and_draws_its_figures(browser, tabs, app_url: str, slug: str) -> None:
    page = tabs.new_page()  # a tab of the worker's 1400 × 1000 window (conftest)
    _open_exports(page, f"{app_url}/{slug}?lang=en")
    data = _download(page, "One HTML file").decode()
    charts = page.locator("[data-testid='stPlotlyChart']").count()
    page.close()
    offline = browser.new_context(offline=True)
    offline.route("**/*", lambda route: route.abort())  # nothing may be fetched
    view = offline.new_page()
    view.set_content(data)
    assert view.locator(".plotly-graph-div").count() == charts
    if charts:
        expect(view.locator(".plotly-graph-div .main-svg").first).to_be_visible(timeout=30_000)
    assert data.count("plotly.js v") <= 1  # plotly.js inlined once, not per figure
    offline.close()


def _timed_download(page, label: str) -> tuple[bytes, float]:
    t = time.perf_counter()
    data = _download(page, label)
    return data, time.perf_counter() - t


@pytest.mark.budget
def test_the_png_export_is_at_least_1600_px_wide(tabs, app_url: str) -> None:
    """The first PNG export may start the server's export browser; the second finds it warm. Both, and the HTML
    export of the same view, are timed from the click to the file."""
    page = tabs.new_page()  # a tab of the worker's 1400 × 1000 window (conftest)
    _open_exports(page, f"{app_url}/modules?lang=en")
    charts = page.locator("[data-testid='stPlotlyChart']").count()
    _html, html_s = _timed_download(page, "One HTML file")
    data, first_s = _timed_download(page, "as PNG")
    again, warm_s = _timed_download(page, "as PNG")
    page.close()
    print(f"[budget] modules exports: HTML {html_s:.2f} s, PNG {first_s:.2f} s (first), {warm_s:.2f} s (warm), "
          f"{charts} figure(s)")
    assert max(html_s, first_s, warm_s) <= EXPORT_S, f"exports took {html_s:.2f} / {first_s:.2f} / {warm_s:.2f} s"
    assert zipfile.ZipFile(io.BytesIO(again)).namelist() == zipfile.ZipFile(io.BytesIO(data)).namelist()
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert len(names) == charts > 0 and all(n.startswith("modules-figure-") for n in names)
    for name in names:
        png = archive.read(name)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, _height = struct.unpack(">II", png[16:24])
        assert width >= 1600, f"{name}: {width} px"


@pytest.mark.budget
def test_the_gif_holds_a_frame_per_step_of_the_step_through(tabs, app_url: str, screenshots) -> None:
    """Attention's tile step-through (16 steps at these settings) as a GIF: made in the background with progress
    when asked, within the budget, then downloaded and read back frame by frame."""
    from PIL import Image

    page = tabs.new_page()  # a tab of the worker's 1400 × 1000 window (conftest)
    _open_exports(page, f"{app_url}/attention?lang=en&tn=64&tb=16")
    make = page.get_by_role("button", name="animated GIF").last
    for _ in range(3):  # a rerun the test did not cause (the page's background timing ending) can redraw the
        # expander closed: seen on a fresh server, where the button was then never found
        wait_for_app_run(page, timeout_ms=300_000)
        if make.is_visible():
            break
        _exports(page).click()
        page.wait_for_timeout(500)
    steps = int(make.inner_text().split("step-through's ")[1].split(" steps")[0])
    t = time.perf_counter()
    make.click()
    expect(page.get_by_test_id("stProgress").first).to_be_visible(timeout=10_000)  # progress while it renders
    expect(page.get_by_test_id("stDownloadButton").filter(has_text="animated GIF").last).to_be_visible(
        timeout=180_000)
    took = time.perf_counter() - t
    print(f"[budget] attention GIF, {steps} frames: {took:.2f} s")
    assert took <= GIF_S, f"the GIF took {took:.2f} s"
    data = _download(page, "The step-through as an animated GIF")
    page.close()
    (screenshots / "attention-steps.gif").write_bytes(data)  # kept with the screenshots, for a reviewer
    gif = Image.open(io.BytesIO(data))
    assert gif.format == "GIF" and gif.n_frames >= steps == 16
    assert gif.size[0] >= 900
