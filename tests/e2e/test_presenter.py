"""Presenter mode on every page (#32): `?present=1&step=K` in a fresh browser and the arrow keys give the same
view; no sidebar, no controls; the text is at least 20 px; Esc leaves."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import wait_for_app_run
from ui.present import CONTROLS, DATAFRAME_PX
from ui.registry import TOPICS

pytestmark = pytest.mark.e2e
MIN_PX = 20.0


def _open(page, url: str) -> str:
    page.goto(url)
    return _stage(page)


def _stage(page) -> str:
    """The stage's text once the step is drawn (a step from the URL costs one rerun), with no traceback."""
    wait_for_app_run(page, timeout_ms=300_000)
    stage = page.locator(".st-key-glassbox-stage")
    expect(stage).to_contain_text(" of ", timeout=120_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    return stage.inner_text()


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def _visible_controls(page) -> list[str]:
    """Input widgets a presenter's audience would see in the main area (the stage's own buttons excepted)."""
    selector = ", ".join(f"[data-testid='stMain'] [data-testid='{c}']" for c in CONTROLS)
    return page.evaluate("""sel => [...document.querySelectorAll(sel)]
        .filter(e => !e.closest('.st-key-glassbox-stage') && e.offsetParent !== null)
        .map(e => e.getAttribute('data-testid'))""", selector)


@pytest.mark.parametrize("slug", [t.slug for t in TOPICS])
def test_steps_from_the_url_and_from_the_arrow_keys_are_the_same_view(tabs, app_url: str, screenshots,
                                                                      slug: str) -> None:
    # tabs of the worker's browser window: each tab is a Streamlit session of its own, which knows only its URL
    # (a fresh browser context per visit would only fetch and compile Streamlit's bundle again)
    page = tabs.new_page()
    first = _open(page, f"{app_url}/{slug}?lang=en&present=1&step=1")
    assert "1 of" in first
    assert not page.get_by_test_id("stSidebar").is_visible()
    assert not page.locator("header[data-testid='stHeader']").is_visible()
    assert _visible_controls(page) == []
    size = page.evaluate("""() => Math.min(...[...document.querySelectorAll("[data-testid='stMain'] p")]
        .filter(e => e.offsetParent !== null && e.innerText.trim())
        .map(e => parseFloat(getComputedStyle(e).fontSize)))""")
    assert size >= MIN_PX, f"{slug}: text at {size} px"
    measure = """() => {
        const shown = sel => [...document.querySelectorAll("[data-testid='stMain'] " + sel)]
            .filter(e => e.offsetParent !== null);
        const main = document.querySelector("[data-testid='stMain']");
        return {cells: shown("[data-testid='stTable'] td").map(e => parseFloat(getComputedStyle(e).fontSize)),
                frames: shown("[data-testid='stDataFrame']").map(e => parseFloat(getComputedStyle(
                    e.closest("[data-testid='stElementContainer']")).zoom)),
                overflow: Math.max(0, ...shown("[data-testid='stDataFrame'], [data-testid='stTable']").map(
                    e => e.getBoundingClientRect().right - main.getBoundingClientRect().right))};
    }"""
    tables = page.evaluate(measure)
    for _ in range(20):  # a dataframe lays itself out again once presenter mode's zoom applies: let that settle
        if tables["overflow"] <= 1:
            break
        page.wait_for_timeout(500)
        tables = page.evaluate(measure)
    assert all(px >= MIN_PX for px in tables["cells"]), f"{slug}: table cells at {tables['cells']} px"
    # st.dataframe draws its cells at 14 px on a canvas: presenter mode zooms it to the text's size
    assert all(z * DATAFRAME_PX >= MIN_PX for z in tables["frames"]), f"{slug}: dataframes zoomed {tables['frames']}"
    assert tables["overflow"] <= 1, f"{slug}: a table reaches {tables['overflow']} px past the screen's edge"
    # the step's figure, full width on the stage, its text beneath it as a caption of at least MIN_PX
    spot = page.evaluate("""() => {
        const stage = document.querySelector('.st-key-glassbox-stage');
        const fig = stage.querySelector(".st-key-glassbox-spotlight :is([data-testid='stPlotlyChart'], "
                                        + "[data-testid='stGraphVizChart'], [data-testid='stDataFrame'])");
        if (!fig) return null;
        const bottom = fig.getBoundingClientRect().bottom;
        const text = [...stage.querySelectorAll("[data-testid='stMarkdownContainer'] :is(p, li)")].find(
            e => e.getBoundingClientRect().top >= bottom - 1 && !e.closest("[data-testid='stButton']"));
        return {width: fig.getBoundingClientRect().width / stage.getBoundingClientRect().width,
                caption: text ? text.innerText.slice(0, 40) : null,
                px: text ? parseFloat(getComputedStyle(text).fontSize) : 0};
    }""")
    assert spot, f"{slug}: no figure on the slide"
    assert spot["width"] >= 0.9, f"{slug}: the slide's figure is {spot['width']:.0%} of the stage's width"
    assert spot["caption"] and spot["px"] >= MIN_PX, f"{slug}: the step's caption under its figure: {spot}"
    page.screenshot(path=str(screenshots / f"present-{slug}-step1.png"))  # the slide as the room sees it

    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    by_key = _stage(page)
    assert _query(page)["step"] == ["2"] and "2 of" in by_key
    keyed = _query(page)
    page.close()  # its session ends

    page = tabs.new_page()  # a new session, the URL alone
    by_url = _open(page, f"{app_url}/{slug}?lang=en&present=1&step=2")
    assert by_url == by_key
    assert _query(page) == keyed  # every control holds the same value either way
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    wait_for_app_run(page, timeout_ms=300_000)
    assert "present" not in _query(page) and page.get_by_test_id("stSidebar").is_visible()
    page.close()
