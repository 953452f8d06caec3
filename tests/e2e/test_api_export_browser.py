"""The API-export page in Chromium: the registry after a typed decorator and the Keras table; screenshot."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import assert_no_errors, rerun_after, wait_for_app_run

pytestmark = pytest.mark.e2e


def test_registry_and_keras_table(page, app_url: str, screenshots) -> None:
    page.goto(f"{app_url}/api_export?lang=en")
    wait_for_app_run(page, timeout_ms=120_000)
    assert_no_errors(page)
    main = page.get_by_test_id("stMain")
    box = main.get_by_role("textbox", name="Decorator (read as data, never run)")
    typed = '@demo_export("math.add", "ops.plus")'
    box.fill(typed)
    rerun_after(page, lambda: box.press("Enter"), timeout_ms=60_000)
    # the typed text must survive its own Enter: it was lost on a fresh server whose first visits started together
    # (see tests/e2e/test_first_visit.py)
    assert box.input_value() == typed
    assert_no_errors(page)
    expect(main.get_by_text("demo.ops.plus").first).to_be_attached()  # a dataframe cell: the new public name
    expect(main.get_by_text("129 / 129").first).to_be_visible()
    main.get_by_text("129 / 129").first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "api-export-registry-and-keras.png"), full_page=True)
