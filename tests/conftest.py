"""Test-wide fixtures."""

from __future__ import annotations

import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager


class _NavigationPagesManager(PagesManager):
    """A PagesManager that never takes Streamlit's legacy `pages/`-folder path.

    AppTest (streamlit 1.67) builds a fresh PagesManager before every run; because our app has a
    `pages/` folder beside app.py, that constructor switches on the legacy multipage mode, so from
    the second run on AppTest executes the page file alone and skips app.py (no sidebar, no
    language switch). The real server keeps the flag off once st.navigation has run (and
    `ui.chrome.ensure_navigation` covers a first visit), so we pin the flag to what st.navigation
    sets; a rerun through the guard would lose the widget values a test has just set.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


@pytest.fixture(autouse=True)
def _apptest_uses_navigation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPagesManager)


@pytest.fixture(autouse=True)
def _no_job_outlives_its_test():
    """A background job a page test started is cancelled and joined when the test ends, so none keeps
    computing into the next test (or into interpreter exit)."""
    yield
    import sys

    if "ui.jobs" in sys.modules:
        sys.modules["ui.jobs"].reset()
