"""Reproduce ARCHITECTURE.md's notes on Streamlit's `bind="query-params"`: a two-page app with bound widgets,
driven in Chromium, printing the URL, the browser history's length and what each page shows after every action.

    .venv/bin/python docs/experiments/streamlit_bind.py            # the pages share the key names view and n
    .venv/bin/python docs/experiments/streamlit_bind.py --unique   # page b's keys are its own
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

APP = """import streamlit as st
st.navigation([st.Page("pages/a.py", url_path="a", default=True), st.Page("pages/b.py", url_path="b")]).run()
"""
PAGE_A = """import streamlit as st
def preset():
    st.session_state["view"], st.session_state["n"] = "trace", 7
st.selectbox("view", ["search", "trace", "why"], key="view", bind="query-params")
st.slider("n", 1, 10, 3, key="n", bind="query-params")
st.text_input("q", "hello", key="q", bind="query-params", max_chars=20)
st.button("preset", on_click=preset)
st.write("A", st.session_state["view"], st.session_state["n"])
"""
PAGE_B = """import streamlit as st
st.radio("view", ["recon", "walk"], key="{view}", bind="query-params")
st.slider("n", 1, 100, 50, key="{n}", bind="query-params")
st.write("B", st.session_state["{view}"], st.session_state["{n}"])
"""


def main(unique: bool) -> None:
    """Serve the app from a temporary folder, walk it, print one line per action."""
    folder = Path(tempfile.mkdtemp(prefix="bind-"))
    (folder / "app.py").write_text(APP)
    (folder / "pages").mkdir()  # laid out as Glassbox is: app.py beside pages/
    (folder / "pages" / "a.py").write_text(PAGE_A)
    keys = {"view": "bview", "n": "bn"} if unique else {"view": "view", "n": "n"}
    (folder / "pages" / "b.py").write_text(PAGE_B.format(**keys))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                               "--server.headless", "true"], cwd=folder, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        time.sleep(6)
        with sync_playwright() as p:
            page = p.chromium.launch(executable_path="/usr/bin/chromium").new_page()

            def step(what: str, action) -> None:
                action()
                page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
                page.wait_for_timeout(800)
                shown = page.get_by_test_id("stMain").inner_text().splitlines()[-1]
                print(f"{what:24s} {page.url.replace(url, ''):36s} history {page.evaluate('history.length'):2d}  "
                      f"shows {shown}")

            nav = page.get_by_test_id("stSidebarNav")
            step("direct visit", lambda: page.goto(f"{url}/a?view=why&n=9"))
            step("preset (view, n)", lambda: page.get_by_role("button", name="preset").click())
            step("to page b", lambda: nav.get_by_text("b", exact=True).click())
            step("b: walk", lambda: page.get_by_test_id("stMain").get_by_text("walk").click())
            step("to page a", lambda: nav.get_by_text("a", exact=True).click())
            step("Back", page.go_back)
            step("Back", page.go_back)
            step("Forward", page.go_forward)
            step("invalid values", lambda: page.goto(f"{url}/a?view=bogus&n=99&q={'x' * 50}"))
    finally:
        server.terminate()
        server.wait(timeout=15)


if __name__ == "__main__":
    main("--unique" in sys.argv)
