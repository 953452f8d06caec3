"""The search view (part 3): the query box, the hits with highlights and score trees, the per-term chart."""

import streamlit as st

from engine.search import Index, QueryError, SearchResult
from engine.search import plots as P
from engine.search.query import MAX_QUERY_CHARS
from ui import page, present
from ui.i18n import plot_labels, say, translator
from ui.text.search import TEXT

T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)
K_CHOICES = [5, 10, 20, 50]
PRUNE_BLOCK = 8  # postings per block for the live view's top-k pruning: the bundled corpus's lists are short


def run_query(ix: Index, q: str, k: int) -> SearchResult | None:
    """Search, or show the parse error (translated) with a caret under its position."""
    try:
        return ix.search(q, k, prune_from=0, block=PRUNE_BLOCK)
    except QueryError as e:
        page.error_at(T, "bad_query", e, q)
        return None


def explanation_tree(e, depth: int = 0) -> str:
    """The explanation as a nested markdown list: value, then what it is (translated from its code)."""
    line = f"{'  ' * depth}- **{e.value:.6g}** {page.md(say(e, markdown=False))}"
    return "\n".join([line, *(explanation_tree(d, depth + 1) for d in e.details)])


def view(ix: Index) -> None:
    """Part 3: the query box, the hits with highlights and score trees, the per-term chart and the CSV."""
    c1, c2 = st.columns([4, 1])
    q = c1.text_input(T("q"), key="q", max_chars=MAX_QUERY_CHARS)
    k = c2.select_slider(T("k"), K_CHOICES, key="k")
    st.caption(T("syntax"))
    res = run_query(ix, q, k)
    if res is None:
        return
    st.session_state["last_result"] = res
    page.notes(res.notes)
    st.markdown(T("found", total=f"{res.total:,}", shown=len(res.hits)))
    if res.skipped:
        st.caption(T("topk_pruned", scored=f"{res.scored:,}", total=f"{res.total:,}", skipped=f"{res.skipped:,}",
                     block=PRUNE_BLOCK, k=k))
    elif res.total:
        st.caption(T("topk_all", total=f"{res.total:,}"))
    if not res.hits:
        st.caption(T("no_hits"))
    elif st.session_state["mode"] == "search":
        st.caption(T("search_mode_note"))
    for h in res.hits:
        with st.container(border=True):
            fields = ", ".join(f"{k}={v}" for k, v in h.doc.fields.items())
            st.markdown(f"**{page.md(h.doc.title or h.doc_id)}** · {page.md(h.doc_id)} · {page.md(fields)} · "
                        f"{T('score')} **{h.score:.4f}**")
            # HTML, not markdown: markdown would still turn a bare address in a document into a link
            st.html(f'<div class="snippet">{h.highlight}</div>')
            if h.explanation.details:
                with st.expander(T("why_score"), key=f"why_{h.doc_id}"):  # keyed: stays open through a rerun
                    st.markdown(explanation_tree(h.explanation))
            else:
                st.caption(T("filter_only"))
    # plotly.js costs a new tab about 0.7 s on first draw, so the chart waits until asked for; a slide has no
    # controls, and the chart is the figure its stage shows
    if any(h.explanation.details for h in res.hits) and (present.active() or st.toggle(T("chart"), key="chart")):
        st.plotly_chart(P.contributions(res.hits, PL), width="stretch")
    page.csv_download(T("csv"), [{"rank": i + 1, "id": h.doc_id, "title": h.doc.title, "score": h.score}
                                 for i, h in enumerate(res.hits)], "results.csv")
