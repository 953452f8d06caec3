"""The attention page in Chromium: step through tiles, run the sweep, screenshot both."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import assert_no_errors, rerun_after, wait_for_app_run

pytestmark = pytest.mark.e2e


def test_step_through_and_memory_plot(page, app_url: str, screenshots) -> None:
    page.goto(f"{app_url}/attention?lang=en&heads=2&d=32&bq=128&bk=128&tn=64&tb=16&causal=True")
    wait_for_app_run(page, timeout_ms=180_000)
    assert_no_errors(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("skipped by the causal mask")).to_be_visible(timeout=30_000)  # a rerun may follow the first
    slider = main.locator("[data-testid=stSlider] input[aria-label='Tile step']")  # not "Backward tile step"
    slider.focus()
    rerun_after(page, lambda: [page.keyboard.press("ArrowRight") for _ in range(5)])
    expect(main.get_by_text("so the old l and O are multiplied by").first).to_be_visible(timeout=30_000)
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg")
    page.screenshot(path=str(screenshots / "attention-step-through.png"), full_page=True)
    main.get_by_role("button", name="Measure the sweep live").click()  # in the background, with progress
    expect(main.get_by_text("Peak memory above the inputs").first).to_be_visible(timeout=300_000)
    assert_no_errors(page)
    page.get_by_test_id("stPlotlyChart").filter(has_text="Peak memory").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "attention-measured.png"), full_page=True)
