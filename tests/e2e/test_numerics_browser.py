"""The number-formats page in Chromium: flip a bit in the explorer, and see the live gradient histogram."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import assert_no_errors, open_charts, rerun_after, wait_for_app_run

pytestmark = pytest.mark.e2e


def test_bit_explorer_flip_sign(page, app_url: str, screenshots) -> None:
    page.goto(f"{app_url}/numerics?view=explorer&fmt=fp16&x=0.1&lang=en")
    wait_for_app_run(page)
    assert_no_errors(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("0.0999755859375").first).to_be_visible()
    rerun_after(page, main.get_by_role("button", name="0₁₅").click)  # the sign bit, currently 0
    assert_no_errors(page)
    expect(page.get_by_test_id("stTextInput").locator("input")).to_have_value("0xAE66")
    expect(main.get_by_text("-0.0999755859375").first).to_be_visible()
    page.screenshot(path=str(screenshots / "numerics-bit-explorer.png"), full_page=True)


def test_gradient_histogram(page, app_url: str, screenshots) -> None:
    open_charts(page, f"{app_url}/numerics?view=gradients&gfmt=fp16&scale=0&lang=en")
    expect(page.get_by_test_id("stMetric").first).to_be_visible()
    page.screenshot(path=str(screenshots / "numerics-gradients.png"), full_page=True)


def test_block_scaling_heatmap_and_the_collapse_of_per_tensor_fp4(page, app_url: str, screenshots) -> None:
    """The MXFP4 heatmaps of a real activation, then the same tensor with one scale for all of it."""
    open_charts(page, f"{app_url}/numerics?view=blocks&tlayer=blocks.0.out&tkind=activation&scheme=mxfp4&lang=en")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("4.250").first).to_be_visible()  # 4 bits + 8 / 32 of an E8M0 scale
    expect(main.locator("[data-testid='stPlotlyChart'] .heatmaplayer").first).to_be_attached()
    main.get_by_test_id("stPlotlyChart").first.scroll_into_view_if_needed()  # Streamlit scrolls inside stMain
    page.screenshot(path=str(screenshots / "numerics-block-scaling.png"), full_page=True)
    open_charts(page, f"{app_url}/numerics?view=outlier&tlayer=blocks.0.fc&tkind=activation&factor=1000&lang=en")
    expect(main.get_by_text("SQNR is measured over every other value").first).to_be_visible()
    main.get_by_test_id("stPlotlyChart").first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "numerics-outlier.png"), full_page=True)
