"""The DDP page in Chromium: the ring replay mid-way through a real all-reduce; screenshot (the mistake panel is
covered by AppTest in both languages)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import assert_no_errors, wait_for_app_run

pytestmark = pytest.mark.e2e


def test_the_ring_replay_mid_reduce_scatter(page, app_url: str, screenshots) -> None:
    page.goto(f"{app_url}/ddp?lang=en&n=3&method=ring&state=2")
    wait_for_app_run(page, timeout_ms=180_000)
    expect(page.get_by_test_id("stProgress")).to_have_count(0, timeout=180_000)  # the cluster has started
    wait_for_app_run(page, timeout_ms=180_000)
    assert_no_errors(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Step 2, reduce-scatter: 3 messages", exact=False).first).to_be_visible()
    expect(main.locator("[data-testid='stPlotlyChart'] .main-svg").first).to_be_attached()
    ring = main.get_by_test_id("stPlotlyChart").first
    expect(ring.get_by_text("chunk 1", exact=False).first).to_be_attached()  # an arrow of step 2
    ring.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "ddp-ring-step-2.png"), full_page=True)
