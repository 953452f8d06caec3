"""The search page's "yours" view: the "why didn't it match?" doctor on this session's index, and an
Elasticsearch/OpenSearch explain of the visitor's own, recomputed and drawn as the page's BM25 tree.

Nothing here runs unless the view is shown; what is pasted or uploaded stays in this session (ui.artifacts).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from engine.search import Index, QueryError, doctor
from engine.search.diagnose import Diagnosis, Fix, engine_verdict
from engine.search.es import EsExplanation, EsNode, read_explain
from engine.search.lucene import lucene_dl_range
from engine.search.query import MAX_QUERY_CHARS
from ui import page
from ui.artifacts import bring, read_or_explain, source_caption
from ui.chrome import guarded_callback
from ui.i18n import say, translator
from ui.text.search import TEXT

T = translator(TEXT)
EXAMPLE = Path(__file__).resolve().parents[2] / "engine" / "search" / "examples" / "es_search_explain.json"
MAX_SHOWN_DOCS = 2000  # ids offered in the doctor's picker
LEAVES = {"boost", "n", "N", "freq", "k1", "b", "dl", "avgdl"}


def view(ix: Index) -> None:
    """The doctor, then the visitor's own Elasticsearch explain."""
    doctor_section(ix)
    st.divider()
    es_section()


# -- the doctor -------------------------------------------------------------------------------------------------
def _apply(fix: Fix) -> None:
    """A fix's rewritten query or dictionary words, applied before the next run (a widget's value can only be set
    from a callback)."""
    if fix.query is not None:
        st.session_state["q"] = fix.query
    if fix.words:
        st.session_state["words"] = tuple(dict.fromkeys((*st.session_state.get("words", ()), *fix.words)))


def _doc_ids(ix: Index, q: str) -> tuple[list[str], str]:
    """The ids to pick from, the query's hits first, then the other live documents (up to MAX_SHOWN_DOCS); and
    the one to start with: the first that does not match, where the doctor has something to say."""
    snap = ix.snapshot
    try:
        hits = [h.doc_id for h in ix.search(q, 20, explain=False, highlight=False, trace=False).hits]
    except QueryError:
        hits = []
    ids = list(dict.fromkeys([*hits, *(snap.doc(n).id for n in snap.live.to_array()[:MAX_SHOWN_DOCS])]))
    return ids, next((i for i in ids[len(hits):]), ids[0] if ids else "")


def doctor_section(ix: Index) -> None:
    """Pick a document, see each clause's verdict on it, the reasons it fails and fixes the engine ran."""
    st.subheader(T("dr.title"))
    st.markdown(T("dr.intro"))
    c1, c2 = st.columns([3, 2])
    q = c1.text_input(T("q"), key="q", max_chars=MAX_QUERY_CHARS)
    ids, first = _doc_ids(ix, q)
    wanted = st.session_state.get("dr_doc") or first
    if wanted and wanted not in ids:  # an id from the URL that is deleted or unknown: the doctor says which
        ids.insert(0, wanted)
    if not ids:
        return
    st.session_state["dr_doc"] = wanted
    doc_id = c2.selectbox(T("dr.doc"), ids, key="dr_doc")
    try:
        dg = doctor(ix, q, doc_id)
    except QueryError as e:
        page.error_at(T, "bad_query", e, q)
        return
    _, rank, total = engine_verdict(ix, q, doc_id)
    if dg.matched:
        st.success(T("dr.matched", id=page.md(doc_id), rank=rank, total=f"{total:,}"))
    else:
        st.info(T("dr.not_matched", id=page.md(doc_id), total=f"{total:,}"))
    if dg.clauses:
        _clauses(dg)
    if dg.reasons:
        st.markdown(f"**{T('dr.reasons')}**")
        st.markdown("\n".join(f"- {say(r)}" for r in dg.reasons))
    if not dg.matched and dg.reasons:
        _fixes(dg)


def _clauses(dg: Diagnosis) -> None:
    verdict = {True: T("dr.yes"), False: T("dr.no"), None: T("dr.ignored")}
    mark = {True: "✓", False: "✗", None: "–"}
    st.caption(T("dr.clauses"))
    st.dataframe(pd.DataFrame([{T("dr.col.clause"): "\u2003" * c.depth + c.label,
                                T("dr.col.verdict"): f"{mark[c.matched]} {verdict[c.matched]}"} for c in dg.clauses]),
                 hide_index=True, width="stretch")


def _fixes(dg: Diagnosis) -> None:
    st.markdown(f"**{T('dr.fixes')}**")
    if not any(f.matched for f in dg.fixes):
        st.caption(T("dr.no_fix"))
    for i, f in enumerate(dg.fixes):
        with st.container(border=True):
            c1, c2 = st.columns([5, 1])
            what = T("dr.fix_query", query=f.query) if f.query is not None else T("dr.fix_words",
                                                                                     words=" ".join(f.words))
            if f.matched:
                result = T("dr.fix_ok", rank=f.rank, total=f"{f.total:,}") if f.query is not None \
                    else T("dr.fix_ok_words")
            else:
                result = T("dr.fix_no")
            c1.markdown(f"{'✓' if f.matched else '✗'} {say(f.message)}  \n{what} · {result}")
            c2.button(T("dr.apply"), key=f"fix_{i}", on_click=guarded_callback(_apply), args=(f,),
                      disabled=not f.matched)


# -- your Elasticsearch explain ---------------------------------------------------------------------------------
def es_section() -> None:
    """The paste box, upload and bundled example; each explanation's problems, BM25 leaves and tree."""
    st.subheader(T("es.title"))
    st.markdown(T("es.intro"))
    b = bring("es", EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.name, ["json"], help_text=T("es.help"))
    source_caption(b)
    got = read_or_explain(T, read_explain, b)
    if got is None:
        return
    st.markdown(T("es.summary", n=len(got), checked=sum(e.checked for e in got),
                  unchecked=sum(e.unchecked for e in got), problems=sum(len(e.problems) for e in got)))
    if not got:
        return
    labels = [T("es.doc", id=e.doc_id or f"#{i + 1}", score=f"{e.score:.6g}") for i, e in enumerate(got)]
    pick = st.selectbox(T("es.pick"), range(len(got)), format_func=labels.__getitem__, key="es_pick") \
        if len(got) > 1 else 0
    e = got[min(pick, len(got) - 1)]
    if not e.matched:
        st.info(T("es.unmatched", id=page.md(e.doc_id or "?")))
    if e.problems:
        for p in e.problems:
            st.warning(T("es.problem", msg=say(p), path=page.md(p.position or "(top)")))
    else:
        st.success(T("es.all_ok"))
    _terms_table(e)
    _dl_note(got)
    with st.expander(T("es.tree"), expanded=True):
        st.markdown(_tree(e.tree))


def _terms_table(e: EsExplanation) -> None:
    if not e.terms:
        return
    from engine.search.lucene import idf, tf  # the formulas the page teaches, applied to the printed factors

    def rng(dl: float) -> str:
        r = lucene_dl_range(dl)
        return "—" if r is None else str(r[0]) if r[0] == r[1] else f"{r[0]}–{r[1]}"

    st.caption(T("es.terms"))
    st.dataframe(pd.DataFrame([{
        T("es.col.field"): t.field, T("es.col.term"): t.term, T("es.col.freq"): t.freq, "n": t.n, "N": t.N,
        "dl": t.dl, T("es.col.dl_range"): rng(t.dl), "avgdl": t.avgdl, "k1": t.k1, "b": t.b,
        T("es.col.boost"): t.boost, "idf": t.idf, T("es.col.idf_re"): idf(t.n, t.N), "tf": t.tf,
        T("es.col.tf_re"): tf(t.freq, t.k1, t.b, t.dl, t.avgdl), T("es.col.value"): t.value}
        for t in e.terms]), hide_index=True, width="stretch")


def _dl_note(got: list[EsExplanation]) -> None:
    """Lucene's one-byte length norm, said with the first approximate dl the visitor's explain holds."""
    approx = next((t for e in got for t in e.terms if lucene_dl_range(t.dl) and lucene_dl_range(t.dl)[1] > t.dl),
                  None)
    if approx is None:
        if any(e.terms for e in got):
            st.caption(T("es.dl_exact"))
        return
    lo, hi = lucene_dl_range(approx.dl)
    st.markdown(T("es.dl_note", dl=f"{approx.dl:g}", term=page.md(approx.term), lo=f"{lo:,}", hi=f"{hi:,}"))


def _label(n: EsNode) -> str:
    """What a node is, in the visitor's language where the reader knows its shape, else Lucene's own words."""
    if n.kind == "weight":
        inside = n.description.removeprefix("weight(").split(" in ")[0]
        fld, _, term = inside.partition(":")
        return T("es.k.weight", field=page.md(fld), term=page.md(term))
    if n.kind in LEAVES or n.kind in ("score", "idf", "tf", "sum", "max", "min", "product", "result"):
        return T(f"es.k.{n.kind}")
    return "`" + n.description.replace("`", "'").replace("\n", " ")[:200] + "`"


def _tree(node: EsNode, depth: int = 0, limit: list[int] | None = None) -> str:
    """The explanation as a nested markdown list, like the page's own BM25 tree: value, what it is, and whether
    it recomputes (at most 400 nodes drawn)."""
    limit = limit if limit is not None else [400]
    if limit[0] <= 0:
        return ""
    limit[0] -= 1
    check = "" if node.ok is None else f" ✓ {T('es.ok')}" if node.ok else \
        f" ✗ {T('es.bad', value=f'{node.recomputed:.7g}')}"
    line = f"{'  ' * depth}- **{node.value:.7g}** {_label(node)}{check}"
    kids = [_tree(d, depth + 1, limit) for d in node.details]
    return "\n".join([line, *(k for k in kids if k)])
