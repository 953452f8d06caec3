"""The recall view: a recommender's four recall channels for one user, merged with quotas and provenance."""

import pandas as pd
import streamlit as st

from engine.search.query import MAX_QUERY_CHARS
from engine.search.recall import DEFAULT_QUOTAS, make_shop, recall
from ui.i18n import say, translator
from ui.search.session import base_analyzer
from ui.text.search import TEXT

T = translator(TEXT)


@st.cache_resource(show_spinner=False)
def shop():
    """The seeded demo shop (read-only, shared)."""
    return make_shop(seed=0, analyzer=base_analyzer("search"))


def view() -> None:
    """A recommender's four recall channels for one user, merged with quotas and provenance."""
    s = shop()
    users = list(s.users)
    if st.session_state.get("user") not in users:
        st.session_state["user"] = users[0]
    c1, c2 = st.columns([1, 2])
    uid = c1.selectbox(T("re.user"), users, key="user")
    query = c2.text_input(T("re.query"), key="rq", max_chars=MAX_QUERY_CHARS)
    user = s.users[uid]
    st.caption(T("re.profile", region=user.region, tags="、".join(user.tags), events=len(s.history(uid)),
                 recent=len(s.history(uid, s.now - 24))))
    quotas = {ch: col.slider(T("re.quota", channel=T(f"re.ch.{ch}")), 0, 10, key=f"quota_{ch}")
              for col, ch in zip(st.columns(4), DEFAULT_QUOTAS, strict=True)}
    merged, channels = recall(s, uid, query, quotas)
    st.subheader(T("re.merged"))
    st.dataframe(pd.DataFrame([{T("re.col.item"): r.item.id, T("re.col.title"): r.item.title,
                                T("re.col.admitted"): T(f"re.ch.{r.admitted_by}"),
                                T("re.col.why"): "; ".join(f"{T(f're.ch.{c.channel}')}: {say(c.reason, markdown=False)}"
                                                           for c in r.provenance)}
                               for r in merged]), hide_index=True, width="stretch")
    st.subheader(T("re.channels"))
    for col, (name, cands) in zip(st.columns(4), channels.items(), strict=True):
        col.markdown(f"**{T(f're.ch.{name}')}** ({len(cands)})")
        col.dataframe(pd.DataFrame([{T("re.col.item"): s.items[c.item].title, T("re.col.score"): round(c.score, 2)}
                                    for c in cands[:10]]), hide_index=True)
