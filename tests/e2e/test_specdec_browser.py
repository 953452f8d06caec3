"""The speculative-decoding page in Chromium: the token-acceptance view, hover details, greedy equality."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import assert_no_errors, wait_for_app_run

pytestmark = pytest.mark.e2e


def test_token_acceptance_view(page, app_url: str, screenshots) -> None:
    page.goto(f"{app_url}/specdec?lang=en&method=speculative&gamma=4&temp=100")
    wait_for_app_run(page, timeout_ms=180_000)
    assert_no_errors(page)
    view = page.locator("div.acceptance")
    expect(view).to_be_visible()
    expect(view.locator("span.tok-accepted").first).to_be_visible()
    assert view.locator("span.tok-accepted").count() > 20
    rejected = view.locator("span.tok-rejected")
    if rejected.count():  # struck through, with q and p on hover
        assert "line-through" in (rejected.first.get_attribute("style") or "")
        assert "q = " in (rejected.first.get_attribute("title") or "")
    expect(page.get_by_test_id("stMetric").first).to_be_visible()
    view.screenshot(path=str(screenshots / "specdec-acceptance-view.png"))
    page.screenshot(path=str(screenshots / "specdec.png"), full_page=True)


def test_greedy_medusa_tree(page, app_url: str, screenshots) -> None:
    page.goto(f"{app_url}/specdec?lang=zh&method=medusa&temp=0&new=80")
    wait_for_app_run(page, timeout_ms=180_000)
    assert_no_errors(page)
    expect(page.get_by_text("逐 token 完全相同").first).to_be_visible()
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=60_000)
    page.screenshot(path=str(screenshots / "specdec-medusa-zh.png"), full_page=True)
