"""Home: what Glassbox is, and a card for each topic page."""

import streamlit as st

from ui.chrome import ensure_navigation
from ui.i18n import translator
from ui.registry import TOPICS
from ui.text import app as app_text
from ui.text.home import TEXT

ensure_navigation()
T = translator(TEXT)
A = translator(app_text.TEXT)

st.title(T("title"))
st.write(T("intro"))
st.subheader(T("topics"))
if not TOPICS:
    st.info(T("none_yet"))
for i, topic in enumerate(TOPICS):
    if i % 2 == 0:  # one row per pair: on a phone the columns stack, and the cards keep the sidebar's order
        cols = st.columns(2)
    with cols[i % 2].container(border=True):
        title = A(f"topic.{topic.slug}.title")
        st.markdown(f"### {topic.icon} {title}")
        st.write(A(f"topic.{topic.slug}.blurb"))
        st.page_link(topic.path, label=T("open", title=title), icon="➡️")
st.subheader(T("how"))
st.markdown(T("how.body"))
