"""Glassbox entry point: page config, sidebar chrome and navigation over the registered pages."""

import streamlit as st

from ui import chrome, present, state
from ui.i18n import translator
from ui.registry import HOME, TOPICS
from ui.text.app import TEXT

T = translator(TEXT)

st.set_page_config(page_title="Glassbox", page_icon="🔍", layout="wide")
chrome.language_switch()
pages = [st.Page(HOME, title=T("nav.home"), icon="🏠", default=True)]
pages += [st.Page(t.path, title=T(f"topic.{t.slug}.title"), icon=t.icon, url_path=t.slug) for t in TOPICS]
nav = st.navigation(pages)
present.begin()  # the presenter switch; in presenter mode, the style and the stage for the walkthrough's slides
state.arrive(nav.url_path)  # before the page binds its controls: arriving from another page starts it afresh
chrome.device_badge()
chrome.run_guarded(nav.run)
