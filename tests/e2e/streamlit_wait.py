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


# Counts every message the server sends the page (window.__gbFrames), from a wrapper of WebSocket installed before
# the page's own scripts (BrowserContext.add_init_script). A rerun always sends messages; React may batch its
# "running" and "finished" states into one render, leaving the state attribute above unchanged on a quick rerun.
FRAMES_JS = """(() => {
  const Native = window.WebSocket;
  window.__gbFrames = 0;
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); this.addEventListener('message', () => { window.__gbFrames += 1; }); }
  };
})();"""
_FRAMES = "() => window.__gbFrames ?? -1"


def count_frames(context) -> None:
    """Count the server's messages in every page `context` opens from now on (see FRAMES_JS)."""
    context.add_init_script(FRAMES_JS)


def _quiet_answer(page, since: int) -> bool | None:
    """On a quiet page (no background job's progress arriving over one second), whether the server sent it messages
    after `since`: those are the action's rerun. None where the page streams, or was opened without count_frames."""
    if since < 0:
        return None
    now = page.evaluate(_FRAMES)
    page.wait_for_timeout(1000)
    return now > since if page.evaluate(_FRAMES) == now else None


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
    before, frames = page.url, page.evaluate(_FRAMES)
    action()
    try:
        page.wait_for_function("() => window.__gbChanges > 0", timeout=retry_ms)
    except PlaywrightTimeoutError:
        wait_for_app_run(page, timeout_ms=timeout_ms)  # a long run already under way counts once it ends
        # still nothing: the action went nowhere, unless the URL changed, which only a run of the script does, or the
        # server answered a quiet page (a quick rerun can finish inside one render, leaving the state attribute
        # unchanged: seen on the numerics bit explorer, whose flipped bit then could not be clicked "again", and on
        # the search page's Save, clicked twice in 110 s with no state change seen)
        if not page.evaluate("() => window.__gbChanges > 0") and page.url == before \
                and not (answered := _quiet_answer(page, frames)):
            page.evaluate(_WATCH_RUNS)
            frames = page.evaluate(_FRAMES)
            action()
            # on a quiet page any message answers the action; where a job streams, only a state change does
            seen = "window.__gbChanges > 0" + ("" if answered is None else f" || window.__gbFrames > {frames}")
            page.wait_for_function(f"() => {seen}", timeout=timeout_ms)
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
