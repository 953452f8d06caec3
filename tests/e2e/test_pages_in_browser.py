"""Every page's first visit in both languages, and the home page's device badge and language switch, in headless
Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import assert_no_errors, rerun_after, wait_for_app_run
from tests.helpers import all_pages, url_path

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("page_path", all_pages())
def test_every_page_opens_in_both_languages(page, app_url: str, screenshots, page_path: str) -> None:
    """A page's first visit in each language: no error, a main area with content, a screenshot. (Its time, warm,
    is test_time_budgets' part.)"""
    for lang in ("en", "zh"):
        page.goto(f"{app_url}/{url_path(page_path)}?lang={lang}")
        wait_for_app_run(page, timeout_ms=300_000)
        assert_no_errors(page)
        assert page.get_by_test_id("stMain").inner_text().strip(), f"{page_path}: the main area is empty ({lang})"
        page.screenshot(path=str(screenshots / f"{url_path(page_path) or 'home'}-{lang}.png"), full_page=True)


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
