"""The modules page in Chromium: the Dropout eval-mode bug, screenshot."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import assert_no_errors, wait_for_app_run

pytestmark = pytest.mark.e2e


def test_the_dropout_eval_mode_bug(page, app_url: str, screenshots) -> None:
    page.goto(f"{app_url}/modules?lang=en&twin=Dropout&mode=eval&naive=True")
    wait_for_app_run(page, timeout_ms=180_000)
    assert_no_errors(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("the outputs differ", exact=False).first).to_be_visible()
    expect(main.get_by_text("keeps dropping in eval mode", exact=False).first).to_be_visible()
    page.screenshot(path=str(screenshots / "modules-dropout-eval-bug.png"), full_page=True)
