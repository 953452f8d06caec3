"""The autograd page in Chromium: PyTorch's graph drawn offline by st.graphviz_chart after backward; a new program
drawn within a second; screenshot."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import assert_no_errors, wait_for_app_run

pytestmark = pytest.mark.e2e
NEW_PROGRAM_S = 1.0


def test_the_graph_after_backward(page, app_url: str, screenshots) -> None:
    page.goto(f"{app_url}/autograd?lang=en&node=5")
    wait_for_app_run(page, timeout_ms=120_000)
    assert_no_errors(page)
    chart = page.get_by_test_id("stGraphVizChart").first
    expect(chart.locator("svg")).to_be_attached(timeout=30_000)  # rendered in the browser, no network
    expect(chart.get_by_text("MulBackward0").first).to_be_attached()
    expect(chart.get_by_text("grad [4.5, 4.5, 4.5, 4.5]").first).to_be_attached()
    chart.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "autograd-graph-after-backward.png"), full_page=True)


@pytest.mark.budget
def test_a_new_program_is_drawn_within_a_second(page, app_url: str) -> None:
    page.goto(f"{app_url}/autograd?lang=en&vals=a = randn(3); b = 2.0; c = randn(3)")
    wait_for_app_run(page, timeout_ms=120_000)
    box = page.get_by_test_id("stMain").get_by_role("textbox").first
    chart = page.get_by_test_id("stGraphVizChart").first
    times = []
    for program, node in (("y = (a * b + c.sin()).exp().sum()", "ExpBackward0"),
                          ("y = (a * c).tanh().mean() + b", "TanhBackward0")):  # the better of two: a shared server
        box.fill(program)
        t = time.perf_counter()
        box.press("Control+Enter")
        expect(chart.get_by_text(node).first).to_be_attached(timeout=10_000)
        times.append(time.perf_counter() - t)
        assert_no_errors(page)
        expect(chart.get_by_text("AccumulateGrad").first).to_be_attached()  # a and c became the leaves
        wait_for_app_run(page, timeout_ms=60_000)
    took = min(times)
    print(f"[budget] autograd new program to a drawn graph: {', '.join(f'{x:.2f}' for x in times)} s")
    assert took <= NEW_PROGRAM_S, f"a new program took {took:.2f} s to draw"
