"""The home page in headless Chromium: the device badge and the language switch (every other page is opened in
both languages by test_time_budgets)."""

from __future__ import annotations

import pytest

from tests.e2e.streamlit_wait import wait_for_app_run

pytestmark = pytest.mark.e2e


# every page's first visit in both languages (no error, content, a screenshot) is checked by
# test_time_budgets.test_default_view_is_ready_within_budget_once_warm, which loads each one anyway


def test_home_shows_device_badge_and_switches_language(page, app_url: str, screenshots) -> None:
    import torch

    page.goto(app_url)
    wait_for_app_run(page)
    sidebar = page.get_by_test_id("stSidebar")
    assert f"PyTorch {torch.__version__}" in sidebar.inner_text()
    sidebar.get_by_text("中文").click()
    wait_for_app_run(page)
    assert "透明盒" in page.get_by_test_id("stMain").inner_text()
    assert "lang=zh" in page.url
    page.reload()
    wait_for_app_run(page)
    assert "透明盒" in page.get_by_test_id("stMain").inner_text(), "the language did not survive a reload"
    page.screenshot(path=str(screenshots / "home-language-switch.png"), full_page=True)
