"""The VQ-VAE page in Chromium: the collapse comparison of the shipped models, and a click on a code."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import assert_no_errors, open_charts, wait_for_app_run

pytestmark = pytest.mark.e2e


def test_collapse_comparison(page, app_url: str, screenshots) -> None:
    open_charts(page, f"{app_url}/vqvae?view=collapse&lang=en", timeout_ms=120_000)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("loss: 1/64").first).to_be_attached()  # the usage histograms' titles
    expect(main.get_by_text("ema_restart: 64/64").first).to_be_attached()
    main.get_by_test_id("stPlotlyChart").first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "vqvae-collapse.png"), full_page=True)


def test_clicking_a_code_cell_decodes_that_code(page, app_url: str, screenshots) -> None:
    open_charts(page, f"{app_url}/vqvae?view=recon&rule=ema_restart&lang=en", timeout_ms=120_000)
    main = page.get_by_test_id("stMain")
    box = main.get_by_test_id("stNumberInput").locator("input")
    grid = main.get_by_test_id("stPlotlyChart").nth(1)
    codes = grid.locator(".textpoint text").all_text_contents()  # the 16 cells' code indices, row by row
    target = next(i for i, c in enumerate(codes) if c != box.input_value())
    cell = grid.locator(".scatterlayer .point").nth(target)
    cell.scroll_into_view_if_needed()
    cell.click(force=True)
    wait_for_app_run(page)
    assert_no_errors(page)
    expect(box).to_have_value(codes[target])
    expect(main.get_by_text(f"hold code {codes[target]}").first).to_be_attached()
    page.screenshot(path=str(screenshots / "vqvae-code.png"), full_page=True)
