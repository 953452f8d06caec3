"""Inverted-index search: tokenize, index, match, rank and recall, live on this session's own index."""

import html
import time

import pandas as pd
import streamlit as st

from engine.search import Analyzer, Doc, Index, QueryError
from engine.search import plots as P
from engine.search.analyzer import MODES
from engine.search.corpus import CorpusError, benchmark_corpus, demo_corpus, parse_upload
from engine.search.inspect import forward_view, inverted_view, live_postings, posting_stats, race, term_table
from engine.search.recall import DEFAULT_QUOTAS, make_shop, recall
from ui.cache import shared_result
from ui.chrome import device_label, ensure_navigation
from ui.i18n import plot_labels, translator
from ui.state import bind, choice, publish, walkthrough
from ui.text.search import TEXT

ensure_navigation()
T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)
VIEWS = ["search", "trace", "why", "analyzer", "internals", "corpus", "recall", "walkthrough"]
PRESETS = {1: {"view": "search", "q": "倒排 索引 -lucene"}, 2: {"view": "trace", "q": "倒排 索引 -lucene"},
           3: {"view": "search", "q": '"搜索引擎"'}, 4: {"view": "search", "q": "category:推荐 region:北京"},
           5: {"view": "search", "q": "(倒排 OR"}, 6: {"view": "why"}, 7: {"view": "recall", "user": "u03"}}


@st.cache_resource(show_spinner=False)
def base_analyzer(mode: str) -> Analyzer:
    """One shared analyzer per mode for sessions that added no words of their own (it is read-only then)."""
    an = Analyzer(mode)
    an.tokens("预热")
    return an


def tokenized(corpus: str, mode: str) -> tuple[list[Doc], list]:
    """A bundled corpus and its tokens, shared by every session that indexes it unchanged (with progress)."""

    def work() -> tuple[list[Doc], list]:
        docs = demo_corpus() if corpus == "demo" else benchmark_corpus()
        an, toks = base_analyzer(mode), []
        bar = st.progress(0.0) if len(docs) > 1000 else None
        for i, d in enumerate(docs):
            toks.append([(t.text, t.pos) for t in an.tokens(d.text)])
            if bar is not None and i % 500 == 0:
                bar.progress(i / len(docs), text=f"jieba ({mode}): {i:,} / {len(docs):,}")
        if bar is not None:
            bar.empty()
        return docs, toks

    return shared_result(("tokens", corpus, mode), work)


def build(docs: list[Doc], mode: str, words: tuple[str, ...], corpus: str) -> None:
    """Give this session a fresh index of `docs` (its own copy: edits never reach other sessions)."""
    an = Analyzer(mode, words) if words else base_analyzer(mode)
    ix = Index(an)
    if corpus in ("demo", "bench") and not words:
        cached_docs, toks = tokenized(corpus, mode)
        ix.add_many(cached_docs, tokens=toks)
    else:
        ix.add_many(docs, workers=2 if len(docs) > 20_000 else None)
    st.session_state.update(ix=ix, ix_mode=mode, ix_words=words, ix_corpus=corpus, ix_docs=docs)


st.title(T("title"))
st.markdown(T("what"))
st.latex(r"\mathrm{score}(d)=\sum_{t\in q}\ln\!\Big(1+\frac{N-df_t+0.5}{df_t+0.5}\Big)\cdot"
         r"\frac{tf_{t,d}\,(k_1+1)}{tf_{t,d}+k_1\big(1-b+b\,\frac{|d|}{avgdl}\big)}")
for key, default, parse in [("view", "search", choice(VIEWS)), ("q", "倒排 索引 -lucene", str),
                            ("mode", "search", choice(list(MODES))), ("user", "u03", str)]:
    bind(key, default, parse)
if "ix" not in st.session_state or st.session_state["ix_mode"] != st.session_state["mode"]:
    with st.spinner(T("building")):
        build(st.session_state.get("ix_docs") or demo_corpus(), st.session_state["mode"],
              st.session_state.get("ix_words", ()), st.session_state.get("ix_corpus", "demo"))
ix: Index = st.session_state["ix"]
snap = ix.snapshot
st.caption(T("status", docs=f"{len(ix):,}", mode=st.session_state["mode"], segments=len(snap.segments),
             deleted=sum(len(t) for t in snap.tombstones), device=device_label()))
view = st.segmented_control(T("view"), VIEWS, format_func=lambda v: T(f"view.{v}"), key="view") or "search"


def run_query(q: str, k: int):
    """Search, or show the parse error with a caret under its position."""
    try:
        t0 = time.perf_counter()
        res = ix.search(q, k=k)
        return res, (time.perf_counter() - t0) * 1e3
    except QueryError as e:
        caret = " " * e.position + "^"
        st.warning(T("bad_query", msg=e.message))
        st.code(f"{q}\n{caret}", language=None)
        return None, 0.0


def explanation_tree(e, depth: int = 0) -> str:
    """The explanation as a nested markdown list: value, then what it is."""
    line = f"{'  ' * depth}- **{e.value:.6g}** {html.escape(e.description)}"
    return "\n".join([line, *(explanation_tree(d, depth + 1) for d in e.details)])


def search_view() -> None:
    c1, c2 = st.columns([4, 1])
    q = c1.text_input(T("q"), key="q")
    k = c2.select_slider(T("k"), [5, 10, 20, 50], value=10)
    st.caption(T("syntax"))
    res, ms = run_query(q, k)
    if res is None:
        return
    st.session_state["last_result"] = res
    for note in res.notes:
        st.info(note)
    st.markdown(T("found", total=f"{res.total:,}", shown=len(res.hits), ms=f"{ms:.2f}"))
    if not res.hits:
        st.caption(T("no_hits"))
    for h in res.hits:
        with st.container(border=True):
            fields = html.escape(", ".join(f"{k}={v}" for k, v in h.doc.fields.items()))
            st.markdown(f"**{html.escape(h.doc.title or h.doc_id)}** · `{html.escape(h.doc_id)}` · {fields} · "
                        f"score **{h.score:.4f}**")
            st.markdown(h.highlight, unsafe_allow_html=True)  # every character of user text is escaped by the engine
            if h.explanation.details:
                with st.expander(T("why_score")):
                    st.markdown(explanation_tree(h.explanation))
    # plotly.js costs a new tab about 0.7 s on first draw, so the chart waits until asked for
    if any(h.explanation.details for h in res.hits) and st.toggle(T("chart"), key="chart"):
        st.plotly_chart(P.contributions(res.hits, PL), width="stretch")
    rows = [{"rank": i + 1, "id": h.doc_id, "title": h.doc.title, "score": h.score} for i, h in enumerate(res.hits)]
    st.download_button(T("csv"), pd.DataFrame(rows).to_csv(index=False), "results.csv", "text/csv")


def trace_view() -> None:
    st.markdown(T("trace.intro"))
    res, _ = run_query(st.text_input(T("q"), key="q"), 10)
    if res is None or not res.trace:
        st.info(T("trace.none"))
        return
    step = st.slider(T("trace.step"), 0, len(res.trace) - 1, len(res.trace) - 1)
    st.plotly_chart(P.trace_steps(res, step, PL), width="stretch")
    st.dataframe(pd.DataFrame([{T("trace.col.op"): s.op, T("trace.col.label"): s.label, T("trace.col.size"): s.size,
                                T("trace.col.ms"): round(s.ms, 4)} for s in res.trace[: step + 1]]), hide_index=True)
    for i, s in enumerate(res.trace[: step + 1]):
        if s.op == "term":
            docs = list(live_postings(ix, s.label))
            st.plotly_chart(P.posting_strip(ix.next_docnum, docs, s.label, PL), width="stretch", key=f"strip_{i}")


def why_view() -> None:
    st.markdown(T("why.intro"))
    sizes = [205, 1_000, 4_000, 16_000, 64_000]
    if st.button(T("why.run"), type="primary"):
        st.session_state["raced"] = True
    if not st.session_state.get("raced"):
        st.info(T("why.not_yet"))
        return
    with st.spinner(T("why.running")):
        rows = shared_result(("race", st.session_state["mode"]),
                             lambda: race(demo_corpus(), base_analyzer(st.session_state["mode"]), sizes))
    st.plotly_chart(P.race_figure(rows, PL), width="stretch")
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    st.download_button(T("csv"), pd.DataFrame(rows).to_csv(index=False), "race.csv", "text/csv")


def analyzer_view() -> None:
    text = st.text_area(T("an.text"), T("an.sample"))
    c1, c2 = st.columns(2)
    drop = c1.checkbox(T("an.stop"), value=True)
    norm = c2.checkbox(T("an.norm"), value=True)
    words = st.session_state.get("ix_words", ())
    cols = st.columns(3)
    for col, mode in zip(cols, MODES, strict=True):
        an = Analyzer(mode, words, None if drop else frozenset(), norm) if (words or not drop or not norm) \
            else base_analyzer(mode)
        col.markdown(f"**{mode}**")
        col.dataframe(pd.DataFrame([{T("an.col.term"): t.text, T("an.col.start"): t.start, T("an.col.end"): t.end,
                                     T("an.col.pos"): t.pos} for t in an.tokens(text)]), hide_index=True)
    c1, c2 = st.columns([3, 1])
    word = c1.text_input(T("an.user"), placeholder="倒排列表")
    if c2.button(T("an.add")) and word.strip():
        build(st.session_state["ix_docs"], st.session_state["mode"], (*words, word.strip()),
              st.session_state["ix_corpus"])
        st.rerun()
    if words:
        st.caption(T("an.words", words="、".join(words)))


def internals_view() -> None:
    ids = [d.id for d in st.session_state["ix_docs"][:3] if ix.get(d.id)]
    c1, c2 = st.columns(2)
    c1.subheader(T("in.forward"))
    c1.dataframe(pd.DataFrame([{**r, "terms": " ".join(r["terms"])} for r in forward_view(ix, ids)]), hide_index=True)
    c2.subheader(T("in.inverted"))
    c2.dataframe(pd.DataFrame([{"term": t, "docs": ", ".join(d)} for t, d in inverted_view(ix, ids).items()]),
                 hide_index=True, height=260)
    st.subheader(T("in.terms"))
    prefix = st.text_input(T("in.prefix"), "")
    table = pd.DataFrame(term_table(ix, 2000, prefix.strip().lower()))
    st.dataframe(table, hide_index=True, width="stretch", height=300)
    if len(table):
        term = st.selectbox(T("in.term"), table["term"].tolist()[:200])
        stats = posting_stats(ix, term)
        if stats:
            st.plotly_chart(P.containers_figure(stats, PL), width="stretch")
    st.subheader(T("in.segments"))
    st.dataframe(pd.DataFrame([{T("in.col.segment"): s.name, T("in.col.docs"): len(s.docnums),
                                T("in.col.deleted"): len(t), T("in.col.terms"): len(s.terms)}
                               for s, t in zip(snap.segments, snap.tombstones, strict=True)]), hide_index=True)
    if st.button(T("in.merge")):
        ix.merge()
        st.rerun()


def corpus_view() -> None:
    sources = {"demo": T("co.demo"), "bench": T("co.bench"), "upload": T("co.upload")}
    src = st.radio(T("co.source"), list(sources), format_func=sources.__getitem__,
                   index=list(sources).index(st.session_state["ix_corpus"]) if st.session_state["ix_corpus"] in
                   sources else 0)
    st.selectbox(T("co.mode"), list(MODES), key="mode")
    upload = st.file_uploader(T("co.file"), type=["txt", "jsonl", "csv"]) if src == "upload" else None
    if st.button(T("co.load")):
        try:
            if src == "upload":
                if upload is None:
                    raise CorpusError(T("co.file"))
                docs = parse_upload(upload.name, upload.getvalue())
            elif src == "bench":
                with st.status(T("co.fetching")) as status:
                    docs = benchmark_corpus(status.write)
                    status.update(state="complete")
            else:
                docs = demo_corpus()
            with st.spinner(T("building")):
                build(docs, st.session_state["mode"], st.session_state.get("ix_words", ()), src)
            st.success(T("co.loaded", n=f"{len(docs):,}"))
        except CorpusError as e:
            st.warning(T("co.bad", msg=str(e)))
        except Exception as e:  # pip or the network failing is a message, not a crash
            st.warning(T("co.fetch_failed", msg=f"{type(e).__name__}: {e}"))
    st.subheader(T("co.edit"))
    live_ids = [d.id for d in st.session_state["ix_docs"] if ix.get(d.id)][:500]
    pick = st.selectbox(T("co.pick"), ["", *live_ids], format_func=lambda i: i or T("co.new"))
    current = ix.get(pick) if pick else None
    with st.form("doc"):
        doc_id = st.text_input(T("co.id"), current.id if current else f"new{ix.next_docnum}")
        title = st.text_input(T("co.title"), current.title if current else "")
        text = st.text_area(T("co.text"), current.text if current else "")
        c1, c2 = st.columns(2)
        cat = c1.text_input(T("co.category"), current.fields.get("category", "") if current else "")
        region = c2.text_input(T("co.region"), current.fields.get("region", "") if current else "")
        saved = st.form_submit_button(T("co.save"), type="primary")
    if saved:
        if not doc_id.strip() or not text.strip():
            st.warning(T("co.need"))
        else:
            fields = {k: v for k, v in (("category", cat.strip()), ("region", region.strip())) if v}
            doc = Doc(doc_id.strip(), text, title, fields)
            ix.update(doc)
            st.session_state["ix_docs"] = [d for d in st.session_state["ix_docs"] if d.id != doc.id] + [doc]
            st.success(T("co.saved", id=doc.id))
    if current and st.button(T("co.delete")):
        ix.delete(current.id)
        st.success(T("co.deleted", id=current.id))


@st.cache_resource(show_spinner=False)
def shop():
    """The seeded demo shop (read-only, shared)."""
    return make_shop(seed=0, analyzer=base_analyzer("search"))


def recall_view() -> None:
    s = shop()
    users = list(s.users)
    if st.session_state.get("user") not in users:
        st.session_state["user"] = users[0]
    c1, c2 = st.columns([1, 2])
    uid = c1.selectbox(T("re.user"), users, key="user")
    query = c2.text_input(T("re.query"), "")
    user = s.users[uid]
    st.caption(T("re.profile", region=user.region, tags="、".join(user.tags), events=len(s.history(uid)),
                 recent=len(s.history(uid, s.now - 24))))
    cols = st.columns(4)
    quotas = {ch: col.slider(T("re.quota", channel=ch), 0, 10, q)
              for col, (ch, q) in zip(cols, DEFAULT_QUOTAS.items(), strict=True)}
    merged, channels = recall(s, uid, query, quotas)
    st.subheader(T("re.merged"))
    st.dataframe(pd.DataFrame([{T("re.col.item"): r.item.id, T("re.col.title"): r.item.title,
                                T("re.col.admitted"): r.admitted_by,
                                T("re.col.why"): "; ".join(f"{c.channel}: {c.reason}" for c in r.provenance)}
                               for r in merged]), hide_index=True, width="stretch")
    st.subheader(T("re.channels"))
    for col, (name, cands) in zip(st.columns(4), channels.items(), strict=True):
        col.markdown(f"**{name}** ({len(cands)})")
        col.dataframe(pd.DataFrame([{T("re.col.item"): s.items[c.item].title, T("re.col.score"): round(c.score, 2)}
                                    for c in cands[:10]]), hide_index=True)


{"search": search_view, "trace": trace_view, "why": why_view, "analyzer": analyzer_view, "internals": internals_view,
 "corpus": corpus_view, "recall": recall_view}.get(view, lambda: (st.markdown(T("walk.intro")),
                                                              walkthrough(T, PRESETS, forget=("raced",))))()
publish("view", "q", "mode", "user")
