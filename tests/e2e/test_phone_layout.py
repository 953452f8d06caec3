"""Every page on a phone-sized screen (390 × 844): no formula cut off, no figure drawn over another, and the
home page's cards in the sidebar's order."""

from __future__ import annotations

import pytest

from tests.e2e.streamlit_wait import assert_no_errors, wait_for_app_run
from tests.helpers import all_pages, url_path
from ui.registry import TOPICS

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def phone_tabs(browser):
    """One phone-sized window per worker; each test opens its page in a tab of its own (a Streamlit session of its
    own), sharing the compiled bundle as conftest's `tabs` does."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    yield context
    context.close()


@pytest.fixture
def phone(phone_tabs):
    pg = phone_tabs.new_page()
    yield pg
    pg.close()


def _overlaps(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] - 1 and b["x"] < a["x"] + a["width"] - 1 \
        and a["y"] < b["y"] + b["height"] - 1 and b["y"] < a["y"] + a["height"] - 1


@pytest.mark.parametrize("page_path", all_pages())
def test_formulas_fit_and_figures_do_not_overlap_on_a_phone(phone, app_url: str, page_path: str) -> None:
    phone.goto(f"{app_url}/{url_path(page_path)}?lang=en")
    wait_for_app_run(phone, timeout_ms=300_000)
    assert_no_errors(phone)
    # a formula is cut when its rendered width passes the width of the block it sits in (or of the screen)
    cut = phone.eval_on_selector_all(".katex-display", """els => els.filter(e => {
        const box = e.closest('[data-testid="stElementContainer"]') || e.parentElement;
        return e.scrollWidth > Math.min(box.clientWidth, window.innerWidth) + 4;
    }).map(e => e.textContent.slice(0, 60))""")
    assert not cut, f"formulas wider than the screen: {cut}"
    # nothing scrolls the page sideways: wide tables and code scroll inside their own frame (#32)
    wide = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 1, f"the page scrolls {wide} px sideways on a phone"
    boxes = [b for b in (c.bounding_box() for c in phone.get_by_test_id("stPlotlyChart").all()) if b]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not _overlaps(a, b), f"two figures drawn over each other: {a} {b}"


def test_home_cards_follow_the_sidebars_order_on_a_phone(phone, app_url: str) -> None:
    phone.goto(f"{app_url}/?lang=en")
    wait_for_app_run(phone)
    from ui.i18n import translate
    from ui.text.app import TEXT

    titles = [translate(TEXT, f"topic.{t.slug}.title", "en") for t in TOPICS]
    main = phone.get_by_test_id("stMain")
    ys = [main.get_by_role("heading", name=title).first.bounding_box()["y"] for title in titles]
    assert ys == sorted(ys), "the cards are not in the sidebar's order"
