"""Wait for a Streamlit page the way Streamlit's own Playwright tests do, and check it for errors."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# Counts every change of the app's script state from the moment it is installed: a rerun that a click asks
# for may start only after a busy server's moment, so "not running" right after the click proves nothing.
_WATCH_RUNS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (window.__gbWatch) window.__gbWatch.disconnect();
  window.__gbChanges = 0;
  window.__gbWatch = new MutationObserver((records) => { window.__gbChanges += records.length; });
  window.__gbWatch.observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
}"""


def wait_for_app_run(page: Page, timeout_ms: int = 90_000) -> None:
    """Block until the app is connected, its script has finished, and no skeleton is left."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout_ms)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout_ms)
    # A rerun can start right after the first one finishes (query-param writes, widgets settling).
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)


def rerun_after(page: Page, action: Callable[[], object], timeout_ms: int = 90_000, retry_ms: int = 20_000) -> None:
    """Do `action` (a click, a key press) and block until the rerun it causes has started and finished. If no rerun
    has started after `retry_ms` nor by the end of a run already under way, the action landed on an element that a
    rerun had just replaced (seen on busy servers: the click went nowhere), so it is done once more: an action that
    flips a state (a toggle) must check the state first, or the second time undoes the first."""
    page.evaluate(_WATCH_RUNS)
    before = page.url
    action()
    try:
        page.wait_for_function("() => window.__gbChanges > 0", timeout=retry_ms)
    except PlaywrightTimeoutError:
        wait_for_app_run(page, timeout_ms=timeout_ms)  # a long run already under way counts once it ends
        # still nothing: the action went nowhere, unless the URL changed, which only a run of the script does (a
        # quick rerun can finish inside one render, leaving the state attribute unchanged: seen on the numerics bit
        # explorer, whose flipped bit then could not be clicked "again")
        if not page.evaluate("() => window.__gbChanges > 0") and page.url == before:
            page.evaluate(_WATCH_RUNS)
            action()
            page.wait_for_function("() => window.__gbChanges > 0", timeout=timeout_ms)
    wait_for_app_run(page, timeout_ms=timeout_ms)


def assert_no_errors(page: Page) -> None:
    """No exception box, no error alert, no Python traceback anywhere on the page."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.locator("[data-testid='stAlertContentError']")).to_have_count(0)
    assert "Traceback" not in page.inner_text("body")


def open_charts(page, url: str, timeout_ms: int = 180_000) -> None:
    """Open a view that may train or load a model first (once per server), and wait for its plotly charts."""
    page.goto(url)
    wait_for_app_run(page, timeout_ms=timeout_ms)
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=60_000)
    assert_no_errors(page)
