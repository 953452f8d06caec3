"""The sidebar every page shares: the language switch (kept in the URL) and the compute-device badge."""

from __future__ import annotations

import functools
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner.script_runner import _mpa_v1

from engine.device import DeviceInfo, describe_device
from ui.i18n import DEFAULT_LANG, LANGS, translator
from ui.text.app import TEXT

T = translator(TEXT)


_CALLBACK_FAILED = "_glassbox_callback_failed"  # a callback's error, shown at the top of the run that follows it


def _show_failure(kind: str, detail: str) -> None:
    st.error(T("app.failed", kind=kind))
    with st.expander(T("app.details")):
        st.code(detail, language=None)


def run_guarded(run: Callable[[], object]) -> None:
    """Run a page so that an unexpected error shows a short message in the visitor's language, with the
    details folded away (and logged on the server), never a raw traceback; Streamlit's own rerun and stop
    are BaseExceptions and pass through. A widget callback's error (see `guarded`) is shown here too."""
    failed = st.session_state.pop(_CALLBACK_FAILED, None)
    if failed is not None:
        _show_failure(*failed)
    try:
        run()
    except Exception as err:
        logging.getLogger("glassbox").exception("a page failed")
        _show_failure(type(err).__name__, "".join(traceback.format_exception_only(err)).strip())


def guarded_callback(fn: Callable[..., object]) -> Callable[..., None]:
    """`fn` as a widget callback that can never show a traceback: Streamlit runs callbacks before the page's
    script, outside `run_guarded`, and a callback draws nothing, so its error is kept for the top of the run
    that follows it."""

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> None:
        try:
            fn(*args, **kwargs)
        except Exception as err:
            logging.getLogger("glassbox").exception("a widget callback failed")
            st.session_state[_CALLBACK_FAILED] = (type(err).__name__,
                                                  "".join(traceback.format_exception_only(err)).strip())

    return wrapper


def guarded_fragment(fn: Callable[..., object]) -> Callable[..., None]:
    """`fn` as a fragment body that can never show a traceback: an auto-refreshing fragment reruns on its own,
    outside `run_guarded`, so its error is shown in place, the same way."""

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> None:
        run_guarded(lambda: fn(*args, **kwargs))

    return wrapper


def ensure_navigation() -> None:
    """Call first in every page: leave Streamlit's legacy `pages/`-folder mode if a visit started in it.

    Streamlit guesses "legacy multipage app" when a `pages/` folder sits beside the entry script, and
    keeps guessing so until app.py has called st.navigation once in the process. A first visit that
    lands straight on a page URL would then run the page alone, without app.py's sidebar. Switching
    the flag off and rerunning sends that visit through app.py, to the same page.

    The flag is one per process, and the check is also made per run: when two visitors' first runs start together,
    both in legacy mode, the first to get here switches the flag off, and the second saw it off and drew its page
    alone, without the sidebar and without `ui.state.arrive`; its next run (the visitor's first Enter) then counted
    as an arrival from another page and reset what they had typed.
    """
    if PagesManager.uses_pages_directory or _in_legacy_run():
        PagesManager.uses_pages_directory = False
        st.rerun()


def _in_legacy_run() -> bool:
    """Whether Streamlit's legacy pages-folder runner ran this page alone, instead of app.py. (A first visit to the
    root URL goes through the legacy runner too, but it runs app.py, which navigates: no rerun is needed then.)"""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is _LEGACY_RUNNER:
            return True
        if frame.f_code.co_filename == _APP:  # app.py drew the page: the shell is there
            return False
        frame = frame.f_back
    return False


_LEGACY_RUNNER = _mpa_v1.__code__  # streamlit is pinned: this private runner is what a legacy run goes through
_APP = str(Path(__file__).resolve().parents[1] / "app.py")


LANG_KEY = "_glassbox_lang"  # the switch's widget; "lang" holds the language every translator reads


def start_language() -> None:
    """Before anything is translated in a run (the navigation's page titles): take the session's language from
    the URL's `lang` on its first run."""
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang", DEFAULT_LANG)
        st.session_state["lang"] = wanted if wanted in LANGS else DEFAULT_LANG


def language_switch() -> str:
    """Render the English / 中文 switch; the choice is written back to the URL's `lang`. Call it after
    st.navigation: a widget drawn before it got another id in a session's first run than in the next, so the
    first click on the switch after a page load was lost."""
    start_language()
    before = st.session_state["lang"]  # the language the navigation's titles were drawn in
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = before
    lang = st.sidebar.radio(T("sidebar.lang"), list(LANGS), key=LANG_KEY, format_func=LANGS.__getitem__,
                            horizontal=True)
    st.session_state["lang"] = lang
    # Page switches drop query params, so write the language back on every run.
    st.query_params["lang"] = lang
    if lang != before:  # draw the page titles above in the new language too
        st.rerun()
    return lang


@st.cache_resource(show_spinner=False)
def _device() -> DeviceInfo:
    return describe_device()


def device_label(device=None) -> str:
    """The compute device in the current language (the default device, or a chosen torch.device)."""
    info = _device() if device is None else describe_device(device)
    if info.kind == "cuda":
        return T("sidebar.cuda", label=info.label())
    return T("sidebar.cpu", threads=info.threads)


def device_badge() -> None:
    """Show which device the engines run on, and the torch version."""
    info = _device()
    with st.sidebar.container(border=True):
        st.caption(T("sidebar.device"))
        if info.kind == "cuda":
            st.markdown(f"**{T('sidebar.cuda', label=info.label())}**")
        else:
            st.markdown(f"**{T('sidebar.cpu', threads=info.threads)}**")
        st.caption(T("sidebar.torch", version=info.torch_version))
