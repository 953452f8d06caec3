"""Glassbox entry point: page config, sidebar chrome and navigation over the registered pages."""

import streamlit as st

from ui import chrome, export, jobs, present, server, state
from ui.i18n import translator
from ui.registry import HOME, TOPICS
from ui.text.app import TEXT

T = translator(TEXT)

st.set_page_config(page_title="Glassbox", page_icon="🔍", layout="wide")
jobs.note_run()  # the reaper tells a visitor who moved on from one whose tab is merely in the background
server.check_abc()  # logs the run that first finds this process's ABCs broken (seen once; see ui/server.py)
chrome.start_language()
pages = [st.Page(HOME, title=T("nav.home"), icon="🏠", default=True)]
pages += [st.Page(t.path, title=T(f"topic.{t.slug}.title"), icon=t.icon, url_path=t.slug) for t in TOPICS]
nav = st.navigation(pages)
chrome.language_switch()  # after the navigation, so that its widget keeps one id from the first run on
present.begin()  # the presenter switch; in presenter mode, the style and the stage for the walkthrough's slides
state.arrive(nav.url_path)  # before the page binds its controls: arriving from another page starts it afresh
chrome.device_badge()
export.collect()  # note the figures and tables the page draws, for the view's HTML and PNG exports


def page_and_exports() -> None:
    nav.run()
    if present.active():
        present.spotlight(export.first_figure())
    else:
        export.offer(nav.url_path or "home", nav.title, present.slide_text())


chrome.run_guarded(page_and_exports)
