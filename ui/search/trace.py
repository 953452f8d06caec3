"""The trace view (part 4): the query's trace replayed step by step over the doc-number space."""

import pandas as pd
import streamlit as st

from engine.search import Index
from engine.search import plots as P
from engine.search.query import MAX_QUERY_CHARS
from ui import export, page
from ui.i18n import plot_labels, translator
from ui.search.hits import run_query
from ui.text.search import TEXT

T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)


def view(ix: Index) -> None:
    """Part 4: the query's trace replayed step by step, each step's set drawn over the doc-number space."""
    st.markdown(T("trace.intro"))
    snap = ix.snapshot
    res = run_query(ix, st.text_input(T("q"), key="q", max_chars=MAX_QUERY_CHARS), 10)
    if res is None or not res.trace:
        st.info(T("trace.none"))
        return
    if st.session_state.get("tstep", -1) < 0:  # no step chosen yet: show the whole query
        st.session_state["tstep"] = len(res.trace) - 1
    step = page.step_slider(T("trace.step"), len(res.trace) - 1, "tstep")
    export.animate(("search", tuple((t.op, t.label, t.size) for t in res.trace)), len(res.trace),  # the view's GIF
                   lambda i: P.trace_steps(res, i, PL))
    st.plotly_chart(P.trace_steps(res, step, PL), width="stretch")
    rows = [{T("trace.col.op"): PL[f"op_{s.op}"], T("trace.col.label"): s.label, T("trace.col.size"): s.size,
             T("trace.col.ms"): round(s.ms, 4)} for s in res.trace[: step + 1]]
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    for i, s in enumerate(res.trace[: step + 1]):
        if s.docs is None:
            continue
        docs = list(s.docs)
        st.plotly_chart(P.posting_strip(snap.next_docnum, docs, s.label, PL), width="stretch", key=f"strip_{i}")
        ids = [snap.doc(n).id for n in docs[:30]]
        st.caption(T("trace.ids", ids=", ".join(ids) + (" …" if len(docs) > 30 else "")) if ids else T("trace.empty"))
