"""ARCHITECTURE.md's checklist for adding a page, followed once for a stub page and nothing else: its text table,
its page file (ensure_navigation first, a short main(), keys bound and published), its registry line and its
title and blurb. The app must then list it, link it from home, draw it in both languages and bind its control to
the URL, with no other file touched."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import ui.registry
from tests.helpers import ROOT
from ui.registry import Topic
from ui.text import app as app_text

STUB = '''"""A stub topic: the checklist of ARCHITECTURE.md, followed once."""

import streamlit as st

from ui import page
from ui.chrome import ensure_navigation
from ui.i18n import translator
from ui.state import bind_all, int_in, publish

ensure_navigation()
T = translator({"title": ("Stub topic", "桩主题"), "what": ("A page with one control.", "只有一个控件的页面。"),
                "n": ("n", "n"), "square": ("n² = {sq}", "n² = {sq}")})
PARAMS = [("stub_n", 3, int_in(1, 9))]


def main() -> None:
    """The page, part by part."""
    page.what_and_why(T, "n^2")
    bind_all(PARAMS)
    st.slider(T("n"), 1, 9, key="stub_n")
    st.write(T("square", sq=st.session_state["stub_n"] ** 2))
    publish(*(p[0] for p in PARAMS))


main()
'''


@pytest.fixture
def stub(tmp_path, monkeypatch) -> str:
    path = tmp_path / "stub.py"
    path.write_text(STUB, encoding="utf-8")
    monkeypatch.setattr(ui.registry, "TOPICS", [*ui.registry.TOPICS, Topic(str(path), "stub", "🧪")])
    monkeypatch.setitem(app_text.TEXT, "topic.stub.title", ("Stub topic", "桩主题"))
    monkeypatch.setitem(app_text.TEXT, "topic.stub.blurb", ("One control, bound to the URL.", "一个控件，绑定到网址。"))
    return str(path)


def _app(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    return at.run()


@pytest.mark.parametrize(("lang", "title"), [("en", "Stub topic"), ("zh", "桩主题")])
def test_a_stub_page_added_by_the_checklist_is_served(stub: str, lang: str, title: str) -> None:
    at = _app(lang)
    assert not at.exception
    home = " ".join(m.value for m in at.markdown)
    assert title in home  # the home page has its card
    at.switch_page(stub).run()
    assert not at.exception and not at.error
    assert at.title[0].value == title
    assert at.slider(key="stub_n").value == 3 and "n² = 9" in [m.value for m in at.markdown]
    at.slider(key="stub_n").set_value(5).run()
    assert at.query_params["stub_n"] == "5" and "n² = 25" in [m.value for m in at.markdown]


def test_without_its_registry_line_the_page_is_not_served(tmp_path) -> None:
    """The negative control: the same page file, not registered, is neither listed nor reachable."""
    path = tmp_path / "stub.py"
    path.write_text(STUB, encoding="utf-8")
    at = _app("en")
    assert "Stub topic" not in " ".join(m.value for m in at.markdown)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(str(path)).run()
