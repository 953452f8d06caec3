"""Render every page registered in app.py through AppTest, in both languages, and fail on any error."""

from __future__ import annotations

import pytest

from tests.helpers import ROOT, all_pages
from tests.pages.apptest import assert_clean, open_page
from ui.registry import HOME, TOPICS


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", all_pages())
def test_page_renders_without_errors(page: str, lang: str) -> None:
    at = open_page(page, lang)
    assert_clean(at)
    assert at.main.children, "the page rendered nothing"


def test_every_page_file_is_registered() -> None:
    files = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_")}
    assert files == set(all_pages())


def test_sidebar_shows_device_and_torch_version() -> None:
    import torch

    at = open_page(HOME)
    sidebar_text = " ".join(str(m.value) for m in at.sidebar.markdown) + " ".join(c.value for c in at.sidebar.caption)
    assert f"PyTorch {torch.__version__}" in sidebar_text
    expected = "GPU" if torch.cuda.is_available() else f"{torch.get_num_threads()} threads"
    assert expected in sidebar_text


def test_language_switch_changes_text_and_url() -> None:
    at = open_page(HOME, "en")
    assert "Glassbox" in at.title[0].value and "透明盒" not in at.title[0].value
    at.sidebar.radio[0].set_value("zh").run()
    assert_clean(at)
    assert "透明盒" in at.title[0].value
    assert at.query_params["lang"] == ["zh"] or at.query_params["lang"] == "zh"


def test_unknown_language_in_url_falls_back_to_english() -> None:
    at = open_page(HOME, "xx")
    assert_clean(at)
    assert "透明盒" not in at.title[0].value


def test_home_links_every_topic() -> None:
    at = open_page(HOME)
    links = [el.proto.page for el in at.get("page_link")]
    assert len(links) == len(TOPICS)


def test_an_unexpected_error_shows_a_translated_message_not_a_traceback() -> None:
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        import streamlit as st

        from ui.chrome import run_guarded

        st.session_state["lang"] = "zh"

        def boom() -> None:
            raise ZeroDivisionError("division by zero")

        run_guarded(boom)

    at = AppTest.from_function(script)
    at.run()
    assert not at.exception  # no traceback element
    assert "此页面出错了（ZeroDivisionError）" in at.error[0].value
    assert "division by zero" in at.expander[0].code[0].value  # the details, folded away
