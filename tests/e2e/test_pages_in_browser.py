"""The home page's device badge and language switch, in headless Chromium. (Every page's first visit in both
languages, with its checks and screenshots, is test_time_budgets' part: it opens each page in both languages.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import rerun_after, wait_for_app_run

pytestmark = pytest.mark.e2e


def test_home_shows_device_badge_and_switches_language(page, app_url: str, screenshots) -> None:
    import torch

    page.goto(app_url)
    wait_for_app_run(page)
    sidebar = page.get_by_test_id("stSidebar")
    assert f"PyTorch {torch.__version__}" in sidebar.inner_text()
    rerun_after(page, sidebar.get_by_text("中文").click)
    expect(page).to_have_url(re.compile(r"lang=zh"), timeout=60_000)
    expect(page.get_by_test_id("stMain")).to_contain_text("透明盒", timeout=30_000)
    page.reload()
    wait_for_app_run(page)
    # a reload's first paint may precede its run: wait for the text rather than read the page once
    expect(page.get_by_test_id("stMain")).to_contain_text("透明盒", timeout=30_000)
    page.screenshot(path=str(screenshots / "home-language-switch.png"), full_page=True)
