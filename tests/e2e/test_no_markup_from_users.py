"""What a visitor types (or a link carries) is shown as text: with markdown and HTML payloads in URL
parameters and in a document, no request leaves 127.0.0.1 and no image or link from a payload renders."""

from __future__ import annotations

from urllib.parse import quote, urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import assert_no_errors, rerun_after, wait_for_app_run

pytestmark = pytest.mark.e2e
HOST = "glassbox-payload.invalid"
PAYLOADS = [f"![n](http://{HOST}/n.png)", f"<img src=http://{HOST}/i.png>", f"[link](http://{HOST}/l)",
            f"http://{HOST}/bare", "$x^2$"]


def test_payloads_in_links_render_as_text(page, app_url: str) -> None:
    """Every payload at once in each box a link can fill: rendered as markup, any one of them would show."""
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1",
                                                                                             "localhost") else None)
    payload = " ".join(PAYLOADS)
    for url in (f"/numerics?lang=en&view=explorer&x={quote(payload)}",
                f"/search?lang=en&q={quote('搜索 ' + payload)}",
                f"/search?lang=en&q={quote('(' + payload)}",  # a malformed query echoes the input in its error
                f"/specdec?lang=en&new=10&prompt={quote(payload)}"):
        page.goto(app_url + url)
        wait_for_app_run(page, timeout_ms=300_000)
        assert_no_errors(page)
        main = page.get_by_test_id("stMain")
        expect(main.locator(f"img[src*='{HOST}'], a[href*='{HOST}']")).to_have_count(0)
        expect(main.locator(".katex").filter(has_text="x2")).to_have_count(0)
    assert not outside, f"requests left the server: {outside}"


def test_a_document_with_payloads_shows_them_as_text(page, app_url: str) -> None:
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1",
                                                                                             "localhost") else None)
    text = "量子检索 AT&T " + " ".join(PAYLOADS)
    page.goto(f"{app_url}/search?lang=en&view=corpus")
    wait_for_app_run(page, timeout_ms=300_000)
    main = page.get_by_test_id("stMain")
    form = main.get_by_test_id("stForm")
    form.get_by_test_id("stTextInput").filter(has_text="title").locator("input").fill(PAYLOADS[0])
    form.get_by_test_id("stTextArea").locator("textarea").fill(text)
    rerun_after(page, form.get_by_role("button", name="Save").click)
    # same session: its document
    rerun_after(page, main.get_by_test_id("stButtonGroup").get_by_text("Search", exact=True).click)
    box = main.get_by_test_id("stTextInput").filter(has_text="Query").locator("input")
    box.fill("量子检索")
    rerun_after(page, lambda: box.press("Enter"))
    assert_no_errors(page)
    expect(main.get_by_text("AT&T").first).to_be_attached()  # shown as typed, not AT&amp;T
    expect(main.locator(f"img[src*='{HOST}'], a[href*='{HOST}']")).to_have_count(0)
    assert not outside, f"requests left the server: {outside}"
