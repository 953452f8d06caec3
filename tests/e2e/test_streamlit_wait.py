"""The wait helpers' own signals: the count of the server's messages that rerun_after falls back on, where a quick
rerun left the script-state attribute unchanged."""

from __future__ import annotations

import pytest

from tests.e2e.streamlit_wait import _FRAMES, _quiet_answer, wait_for_app_run

pytestmark = pytest.mark.e2e


def test_a_rerun_is_counted_and_a_quiet_page_is_told_from_one_that_got_nothing(page, app_url: str) -> None:
    page.goto(f"{app_url}/search?lang=en&view=corpus")
    wait_for_app_run(page, timeout_ms=300_000)
    assert page.evaluate(_FRAMES) > 0  # the first run's messages, counted by the context's init script
    quiet = page.evaluate(_FRAMES)
    # negative control: nothing asked, nothing sent: a click that went nowhere is still done again
    assert _quiet_answer(page, quiet) is False
    page.keyboard.press("r")  # Streamlit's own rerun shortcut
    page.wait_for_function(f"() => window.__gbFrames > {quiet}", timeout=60_000)
    wait_for_app_run(page)
    assert _quiet_answer(page, quiet) is True


def test_a_page_opened_without_the_counter_gives_no_answer(browser, app_url: str) -> None:
    context = browser.new_context()
    try:
        pg = context.new_page()
        pg.goto(f"{app_url}/?lang=en")
        wait_for_app_run(pg, timeout_ms=300_000)
        assert pg.evaluate(_FRAMES) == -1 and _quiet_answer(pg, -1) is None
    finally:
        context.close()
