"""The search page in Chromium: type a query, open an explanation, visit every view with a screenshot."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import assert_no_errors, rerun_after, wait_for_app_run

pytestmark = pytest.mark.e2e
VIEWS = ["Step-through", "Why inverted?", "Analyzer", "Index internals", "Corpus", "Recall channels"]


def test_query_explanation_and_every_view(page, app_url: str, screenshots) -> None:
    page.goto(f"{app_url}/search?lang=en")
    wait_for_app_run(page, timeout_ms=120_000)
    main = page.get_by_test_id("stMain")
    box = main.get_by_test_id("stTextInput").filter(has_text="Query").locator("input")
    box.fill("搜索引擎 OR 倒排")
    rerun_after(page, lambda: box.press("Enter"))
    assert_no_errors(page)
    expect(main.get_by_text("matching documents").first).to_be_visible()
    expect(main.locator("mark").first).to_be_visible()
    main.get_by_text("Why this score").first.click()
    expect(main.get_by_text("idf = ln(1 + (N − df + 0.5) / (df + 0.5))").first).to_be_visible()
    chart = main.locator(".st-key-chart input")

    def chart_on() -> None:  # idempotent: rerun_after may do it twice, and a second click would turn the chart off
        if not chart.is_checked():
            main.get_by_text("Chart: each hit's score split by query term").click()

    rerun_after(page, chart_on)
    expect(chart).to_be_checked(timeout=30_000)
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=60_000)
    page.screenshot(path=str(screenshots / "search-results.png"), full_page=True)
    for label in VIEWS:
        rerun_after(page, main.get_by_test_id("stButtonGroup").get_by_text(label, exact=True).click)
        assert_no_errors(page)
        name = label.lower().replace(" ", "-").replace("?", "")
        page.screenshot(path=str(screenshots / f"search-{name}.png"), full_page=True)
    assert "view=recall" in page.url


def test_browser_back_returns_to_the_previous_view(page, app_url: str) -> None:
    page.goto(f"{app_url}/search?lang=en&view=search")
    wait_for_app_run(page, timeout_ms=300_000)
    main = page.get_by_test_id("stMain")
    rerun_after(page, main.get_by_test_id("stButtonGroup").get_by_text("Step-through", exact=True).click)
    expect(page).to_have_url(re.compile(r"view=trace"))
    page.go_back()
    wait_for_app_run(page)
    expect(page).to_have_url(re.compile(r"view=search"))
    expect(main.get_by_test_id("stTextInput").filter(has_text="Query").first).to_be_visible()  # search view again
    assert_no_errors(page)
