"""The API-export page in Chromium: the registry after a typed decorator and the Keras table; screenshot."""

from __future__ import annotations

import warnings

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
    for attempt in range(2):
        box.fill(typed)
        rerun_after(page, lambda: box.press("Enter"), timeout_ms=60_000)
        if box.input_value() == typed:
            break
        # Seen four times over two sessions, always on a fresh server's first visit to this page under load: the box
        # holds the default again after Enter. Root cause not found (see the closing notes of 2026-12-06); the
        # second try is a warning, so that pytest's summary in a CI log shows how often it happens
        warnings.warn(f"api_export: the typed decorator was lost after Enter (try {attempt + 1}); typing it again",
                      stacklevel=1)
    assert_no_errors(page)
    expect(main.get_by_text("demo.ops.plus").first).to_be_attached()  # a dataframe cell: the new public name
    expect(main.get_by_text("129 / 129").first).to_be_visible()
    main.get_by_text("129 / 129").first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "api-export-registry-and-keras.png"), full_page=True)
