"""Browser fixtures: a real `streamlit run app.py` on a free loopback port, driven by Debian's Chromium.

Without /usr/bin/chromium the e2e tests skip with install instructions, except under CI (CI=true),
where a missing browser fails the run: CI must really drive a browser.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import dev
from tests.e2e.streamlit_wait import count_frames
from tests.helpers import ROOT
from ui.render import CHROMIUM  # Chromium's headless shell where installed: less CPU per page

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    message = (f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium "
               "chromium-headless-shell` to run e2e tests")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def running_server(log: Path):
    """Start `streamlit run app.py` on a free loopback port; yield its URL and process; stop it afterwards."""
    return dev.serve(log)


@contextlib.contextmanager
def running_app(log: Path) -> Iterator[str]:
    """Start `streamlit run app.py` on a free loopback port; yield its URL; stop it afterwards."""
    with running_server(log) as (url, _proc):
        yield url


@pytest.fixture(scope="session")
def app_url(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app under test: the server `dev.py test` shares between its browser phases (GLASSBOX_E2E_URL), else
    one of this session's own."""
    if shared := os.environ.get("GLASSBOX_E2E_URL"):
        yield shared
        return
    with running_app(tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def tabs(browser):
    """One browser window per worker whose tabs the tests open, as a visitor opens tabs: each tab is its own
    Streamlit session (its own websocket), and they share the HTTP and compiled-code caches. A fresh context per
    test fetched and compiled Streamlit's bundle again: 1.6–2.5 s of Chromium CPU per test on 2 cores, measured.
    Tests that need a fresh browser (a first visit, an offline one, a phone) still make their own context."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    count_frames(context)  # rerun_after tells a quick rerun from a click that went nowhere
    yield context
    context.close()


@pytest.fixture
def page(tabs):
    pg = tabs.new_page()
    yield pg
    pg.close()  # the tab's session disconnects: the server cancels the work it started within seconds


@pytest.fixture(scope="session")
def screenshots() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
