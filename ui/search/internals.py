"""The internals view: forward and inverted views of a few documents, the term dictionary, roaring containers and
segments."""

import pandas as pd
import streamlit as st

from engine.search import Index
from engine.search import plots as P
from engine.search.inspect import forward_view, inverted_view, posting_stats, term_table
from ui.i18n import plot_labels, translator
from ui.search.analyzer import MAX_WORD_CHARS
from ui.text.search import TEXT

T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)


def view(ix: Index) -> None:
    """The forward and inverted views of a few documents, the term dictionary, roaring containers, segments."""
    snap = ix.snapshot
    ids = [snap.doc(n).id for n in list(snap.live)[:3]]
    c1, c2 = st.columns(2)
    c1.subheader(T("in.forward"))
    c1.dataframe(pd.DataFrame([{T("in.col.id"): r["id"], T("re.col.title"): r["title"],
                                T("in.col.terms_in_order"): " ".join(r["terms"])} for r in forward_view(snap, ids)]),
                 hide_index=True)
    c2.subheader(T("in.inverted"))
    c2.dataframe(pd.DataFrame([{T("an.col.term"): t, T("in.col.ids"): ", ".join(d)}
                               for t, d in inverted_view(snap, ids).items()]), hide_index=True, height=260)
    st.subheader(T("in.terms"))
    prefix = st.text_input(T("in.prefix"), "", max_chars=MAX_WORD_CHARS)
    rows = term_table(snap, 2000, prefix.strip().lower())
    st.dataframe(pd.DataFrame([{T(f"in.col.{k}"): v for k, v in r.items()} for r in rows]), hide_index=True,
                 width="stretch", height=300)
    if rows:
        term = st.selectbox(T("in.term"), [r["term"] for r in rows[:200]])
        stats = posting_stats(snap, term)
        if stats:
            st.plotly_chart(P.containers_figure(stats, PL), width="stretch")
    st.caption(T("in.lucene_postings"))
    st.subheader(T("in.segments"))
    st.dataframe(pd.DataFrame([{T("in.col.segment"): s.name, T("in.col.docs"): len(s.docnums),
                                T("in.col.deleted"): len(t), T("in.col.terms"): len(s.terms)}
                               for s, t in zip(snap.segments, snap.tombstones, strict=True)]), hide_index=True)
    st.caption(T("in.deletes"))
    if st.button(T("in.merge")):
        ix.merge()
        st.rerun()
