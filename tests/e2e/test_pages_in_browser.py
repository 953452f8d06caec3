"""Open the home page and every registered page in headless Chromium; screenshot each."""

from __future__ import annotations

import pytest

from tests.e2e.streamlit_wait import assert_no_errors, wait_for_app_run
from tests.helpers import all_pages, url_path

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page_path", all_pages())
def test_page_loads_cleanly(page, app_url: str, screenshots, page_path: str, lang: str) -> None:
    page.goto(f"{app_url}/{url_path(page_path)}?lang={lang}")
    wait_for_app_run(page)
    assert_no_errors(page)
    assert page.get_by_test_id("stMain").inner_text().strip(), "the page's main area is empty"
    name = url_path(page_path) or "home"
    page.screenshot(path=str(screenshots / f"{name}-{lang}.png"), full_page=True)


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
