"""A server's very first visit landing straight on a topic URL still gets app.py's shell (sidebar, language)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import running_app
from tests.e2e.streamlit_wait import assert_no_errors, wait_for_app_run
from tests.helpers import url_path
from ui.registry import TOPICS

pytestmark = pytest.mark.e2e


@pytest.mark.skipif(not TOPICS, reason="no topic page registered yet")
def test_direct_page_url_on_a_fresh_server(browser, tmp_path) -> None:
    topic = TOPICS[0]
    with running_app(tmp_path / "server.log") as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/{url_path(topic.path)}?lang=zh")
        wait_for_app_run(page)
        # the first run is the page alone, in Streamlit's legacy pages/ mode, and reruns through app.py: on a busy
        # machine the rerun can start after wait_for_app_run's settling pause, so the shell is waited for
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar).to_contain_text("Language / 语言", timeout=60_000)
        expect(sidebar).to_contain_text("PyTorch")
        wait_for_app_run(page)
        assert_no_errors(page)
        assert "pages" not in page.get_by_test_id("stSidebarNav").inner_text().split()
        context.close()
