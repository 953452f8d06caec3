"""Inverted-index search: tokenize, index, match, rank and recall, live on this session's own view of the index.

The bundled corpus is indexed once per server and analyzer mode; each session starts a copy-on-write writer
on that shared snapshot (`Index.from_snapshot`), so its own additions, edits and deletions stay its own.
"""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from engine import recorded
from engine.search import Analyzer, Doc, Index, QueryError, SearchResult, Snapshot
from engine.search import plots as P
from engine.search.analyzer import MODES
from engine.search.corpus import MAX_DOC_CHARS, CorpusError, benchmark_corpus, check_text, demo_corpus, parse_upload
from engine.search.inspect import RACE_SIZES, forward_view, inverted_view, posting_stats, race, term_table
from engine.search.query import MAX_QUERY_CHARS
from engine.search.recall import DEFAULT_QUOTAS, make_shop, recall
from ui import jobs, page, present, search_yours
from ui.cache import shared_resource
from ui.chrome import device_label, ensure_navigation
from ui.i18n import plot_labels, say, translator
from ui.state import bind_all, choice, int_in, number_in, publish, walkthrough
from ui.text.search import TEXT

ensure_navigation()
MAX_WORD_CHARS = 50  # a dictionary word or a term prefix: far longer than any word, bounded before it is used
T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)
VIEWS = ["search", "trace", "why", "analyzer", "internals", "corpus", "recall", "yours", "walkthrough"]
K_CHOICES = [5, 10, 20, 50]
PRUNE_BLOCK = 8  # postings per block for the live view's top-k pruning: the bundled corpus's lists are short
PRESETS = {1: {"view": "search", "q": "倒排 索引 -lucene"}, 2: {"view": "trace", "q": "倒排 索引 -lucene"},
           3: {"view": "search", "q": '"倒排索引"'}, 4: {"view": "search", "q": "category:推荐 region:北京"},
           5: {"view": "search", "q": "(倒排 OR"}, 6: {"view": "why"},
           # a search term, or the term channel has nothing to propose; the default quotas, so each channel admits
           7: {"view": "recall", "user": "u03", "rq": "跑鞋", **{f"quota_{ch}": q for ch, q in DEFAULT_QUOTAS.items()}}}
PEERS = {"glassbox": "glassbox", "tantivy": "tantivy", "fts5": "FTS5"}  # the bench's engines, as the table names them
PHRASE, BOTH = '"倒排索引"', "倒排 索引"  # walkthrough step 3: a phrase against its words anywhere
# one short line each, so that no formula is cut off on a phone
FORMULAS = (r"\mathrm{score}(d)=\sum_{t\in q}\mathrm{idf}_t\cdot w_{t,d}",
            r"w_{t,d}=\frac{tf_{t,d}\,(k_1+1)}{tf_{t,d}+k_1\big(1-b+b\,\frac{|d|}{avgdl}\big)}",
            r"\mathrm{idf}_t=\ln\!\Big(1+\frac{N-df_t+0.5}{df_t+0.5}\Big)")


@dataclass(frozen=True)
class Settings:
    """The page's state, bound to the URL."""

    view: str
    mode: str
    words: tuple[str, ...]  # this session's dictionary additions


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(T, *FORMULAS)
    s = controls()
    ix = session_index(s)
    status(ix.snapshot, s)
    match s.view:
        case "search":
            live(ix)
        case "trace":
            step_through(ix)
        case "why":
            measured(s)
        case "analyzer":
            analyzer_view(s)
        case "internals":
            internals_view(ix)
        case "corpus":
            corpus_view(ix)
        case "recall":
            recall_view()
        case "yours":
            search_yours.view(ix)
        case _:
            st.markdown(T("walk.intro"))
            walkthrough(walk_text(ix), PRESETS)
    if present.active() and s.view != "walkthrough":  # presenter mode: the step's own view, its slide on the stage
        walkthrough(walk_text(ix), PRESETS)
    publish("view", "q", "k", "mode", "user", "tstep", "rq", "dr_doc", *(f"quota_{ch}" for ch in DEFAULT_QUOTAS))
    if s.words:
        st.query_params["words"] = " ".join(s.words)


def controls() -> Settings:
    """The view tabs and the state every view shares, read from (and written back to) the URL."""
    bind_all([("view", "search", choice(VIEWS)), ("q", "倒排 索引 -lucene", str),
              ("k", 10, number_in(K_CHOICES)),
              ("mode", "search", choice(list(MODES))), ("user", "u03", str),
              ("words", (), lambda r: tuple(dict.fromkeys(r.split()))), ("tstep", -1, int),
              ("rq", "", str), ("dr_doc", "", str),
              *((f"quota_{ch}", q, int_in(0, 10)) for ch, q in DEFAULT_QUOTAS.items())])
    view = page.view_switch(T, VIEWS)
    return Settings(view, st.session_state["mode"], tuple(st.session_state["words"]))


@st.cache_resource(show_spinner=False)
def base_analyzer(mode: str) -> Analyzer:
    """One shared analyzer per mode for sessions that added no words of their own (it is read-only then)."""
    an = Analyzer(mode)
    an.tokens("预热")
    return an


def bundled(corpus: str) -> list[Doc]:
    """The documents of a bundled corpus ("demo" or "bench")."""
    return demo_corpus() if corpus == "demo" else benchmark_corpus()


def base_snapshot(corpus: str, mode: str) -> Snapshot:
    """A bundled corpus indexed once per server and mode (with progress), shared read-only by every session."""

    def build() -> Snapshot:
        docs = bundled(corpus)
        an, toks = base_analyzer(mode), []
        bar = st.progress(0.0) if len(docs) > 1000 else None
        for i, d in enumerate(docs):
            toks.append([(t.text, t.pos) for t in an.tokens(d.text)])
            if bar is not None and i % 500 == 0:
                bar.progress(i / len(docs), text=f"jieba ({mode}): {i:,} / {len(docs):,}")
        if bar is not None:
            bar.empty()
        ix = Index(an)
        ix.add_many(docs, tokens=toks)
        return ix.snapshot

    return shared_resource(("search-base", corpus, mode), build)


def session_index(s: Settings) -> Index:
    """This session's writer: a fork of the shared base (or its own index for an upload or its own words), with
    the session's edits replayed whenever the mode or dictionary changes, so they are never silently lost."""
    corpus = st.session_state.setdefault("corpus", "demo")
    key = (corpus, s.mode, s.words)
    if st.session_state.get("ix_key") != key:
        with st.spinner(T("building")):
            if corpus != "upload" and not s.words:
                ix = Index.from_snapshot(base_snapshot(corpus, s.mode))
            else:
                docs = st.session_state["upload_docs"] if corpus == "upload" else bundled(corpus)
                ix = Index(Analyzer(s.mode, s.words))
                ix.add_many(docs, workers=2 if len(docs) > 20_000 else None)
            for op, arg in st.session_state.get("edits", []):
                if op == "put":
                    ix.update(arg)
                else:
                    ix.delete(arg)
        st.session_state.update(ix=ix, ix_key=key)
    return st.session_state["ix"]


def walk_text(ix: Index):
    """The translator, with step 3's counts filled in from this session's index (the phrase against its words)."""
    counts = {k: f"{ix.search(q, 1, explain=False, highlight=False, trace=False).total:,}"
              for k, q in (("phrase", PHRASE), ("both", BOTH))}

    def text(key: str, **fmt: object) -> str:
        return T(key, **(counts | fmt)) if key == "walk.3" else T(key, **fmt)

    return text


def status(snap: Snapshot, s: Settings) -> None:
    """One line on the index this session searches, and the device."""
    st.caption(T("status", docs=f"{snap.n_live:,}", mode=T(f"mode.{s.mode}"), segments=len(snap.segments),
                 deleted=sum(len(t) for t in snap.tombstones), device=device_label()))


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


def live(ix: Index) -> None:
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
                with st.expander(T("why_score")):
                    st.markdown(explanation_tree(h.explanation))
            else:
                st.caption(T("filter_only"))
    # plotly.js costs a new tab about 0.7 s on first draw, so the chart waits until asked for
    if any(h.explanation.details for h in res.hits) and st.toggle(T("chart"), key="chart"):
        st.plotly_chart(P.contributions(res.hits, PL), width="stretch")
    page.csv_download(T("csv"), [{"rank": i + 1, "id": h.doc_id, "title": h.doc.title, "score": h.score}
                                 for i, h in enumerate(res.hits)], "results.csv")


def step_through(ix: Index) -> None:
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


def measured(s: Settings) -> None:
    """Part 5: scanning every document against one posting-list lookup as the collection grows (df held
    fixed), recorded on this machine kind and re-measured live in the background; beside it, the same kinds
    of query on tantivy and SQLite FTS5, as the search bench measured them."""
    st.markdown(T("why.intro"))
    rec = recorded.matching("search", [f"race-{s.mode}"], {"sizes": RACE_SIZES})
    go = st.button(T("why.run"), type="primary")
    if rec is not None:
        jobs.estimate_caption(rec.seconds)
    rows = jobs.live_or_recorded(("race", s.mode), lambda tick: race(
        demo_corpus(), base_analyzer(s.mode), RACE_SIZES, progress=lambda d, n: tick(d, f"{d}/{n}")),
        total=len(RACE_SIZES), start_now=go, unit_s=rec and rec.seconds / len(RACE_SIZES), rec=rec)
    if rows is not None:
        race_table(rows)
    peers = recorded.load("search", "peers")
    if peers is not None:
        peer_table(peers)


def race_table(rows: list[dict]) -> None:
    """The race's figure and table: each time the median of interleaved rounds with its fastest and slowest
    round, beside the counts load cannot change."""
    st.plotly_chart(P.race_figure(rows, PL), width="stretch")
    if any(r.get("busy") for r in rows):
        st.warning(T("why.busy"))

    def ms(r: dict, side: str) -> str:
        return f"{r[f'{side}_ms']:.4f} ({r[f'{side}_lo_ms']:.4f}–{r[f'{side}_hi_ms']:.4f})"

    st.dataframe(pd.DataFrame([{T("why.col.docs"): r["docs"], T("why.col.scan"): ms(r, "scan"),
                                T("why.col.inverted"): ms(r, "inverted"), T("why.col.df"): r["median_df"],
                                T("why.col.scan_read"): r["scan_docs_read"],
                                T("why.col.postings_read"): r["postings_read"]} for r in rows]), hide_index=True)
    st.caption(T("why.table", rounds=rows[0]["rounds"], queries=rows[0]["queries"]))
    page.csv_download(T("csv"), rows, "race.csv")


def peer_table(peers) -> None:
    """The same kinds of query on tantivy and SQLite FTS5, as the search bench measured them: each median with
    the fastest and slowest repeat's median, the 95th percentile, and our ratio to tantivy with its range."""
    st.subheader(T("peers"))
    st.markdown(T("peers.intro", docs=f"{peers.settings['documents']:,}", queries=peers.settings["queries"],
                  repeats=peers.settings["repeats"]))

    def p50(r: dict, e: str) -> str:
        return f"{r[f'{e}_p50_ms']:.4f} ({r[f'{e}_p50_lo_ms']:.4f}–{r[f'{e}_p50_hi_ms']:.4f})"

    rows = []
    for r in peers.rows:
        kind = PL[f"op_{r['kind']}"] if f"op_{r['kind']}" in PL else r["kind"]
        rows.append({T("peers.kind"): kind, **{f"{name} p50 (ms)": p50(r, e) for e, name in PEERS.items()},
                     **{f"{name} p95 (ms)": r[f"{e}_p95_ms"] for e, name in PEERS.items()},
                     T("peers.ratio"): f"{r['glassbox_over_tantivy_p50']:.2f} "
                                       f"({r['glassbox_over_tantivy_p50_lo']:.2f}–{r['glassbox_over_tantivy_p50_hi']:.2f})"})
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    jobs.recorded_caption(peers)


def analyzer_view(s: Settings) -> None:
    """jieba's three modes side by side on any text, and this session's own dictionary words."""
    text = st.text_area(T("an.text"), T("an.sample"), max_chars=MAX_DOC_CHARS)
    c1, c2 = st.columns(2)
    drop = c1.checkbox(T("an.stop"), value=True)
    norm = c2.checkbox(T("an.norm"), value=True)
    dl = {}
    for col, mode in zip(st.columns(3), MODES, strict=True):
        an = Analyzer(mode, s.words, None if drop else frozenset(), norm) if (s.words or not drop or not norm) \
            else base_analyzer(mode)
        tokens = an.tokens(text)
        dl[mode] = len(tokens)
        col.markdown(f"**{T(f'mode.{mode}')}**")
        col.dataframe(pd.DataFrame([{T("an.col.term"): t.text, T("an.col.start"): t.start, T("an.col.end"): t.end,
                                     T("an.col.pos"): t.pos} for t in tokens]), hide_index=True)
    st.caption(T("an.dl", **dl))
    c1, c2 = st.columns([3, 1])
    word = c1.text_input(T("an.user"), placeholder="倒排列表", max_chars=MAX_WORD_CHARS).strip()
    if c2.button(T("an.add")) and word:
        if word in s.words:
            st.info(T("an.known", word=word))
        elif len(word.split()) != 1:
            st.warning(T("an.one_word"))
        else:
            st.session_state["words"] = (*s.words, word)
            st.rerun()
    if s.words:
        st.caption(T("an.words", words="、".join(s.words)))


def internals_view(ix: Index) -> None:
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


def flash(kind: str, text: str) -> None:
    """Show `text` after the rerun that follows a change (so the status line above is already current)."""
    st.session_state["flash"] = (kind, text)
    st.rerun()


def corpus_view(ix: Index) -> None:
    """Choose the corpus and the analyzer mode; add, edit and delete documents live."""
    if "flash" in st.session_state:
        kind, text = st.session_state.pop("flash")
        getattr(st, kind)(text)
    sources = {"demo": T("co.demo"), "bench": T("co.bench"), "upload": T("co.upload")}
    src = st.radio(T("co.source"), list(sources), format_func=sources.__getitem__,
                   index=list(sources).index(st.session_state["corpus"]))
    st.selectbox(T("co.mode"), list(MODES), key="mode", format_func=lambda m: T(f"mode.{m}"))
    upload = st.file_uploader(T("co.file"), type=["txt", "jsonl", "csv"]) if src == "upload" else None
    if st.button(T("co.load")):
        load_corpus(src, upload)
    edit_documents(ix)


def load_corpus(src: str, upload) -> None:
    """Switch this session to another corpus (its earlier edits belonged to the old one and are dropped)."""
    try:
        if src == "upload":
            if upload is None:
                raise CorpusError("corpus.no_file")
            st.session_state["upload_docs"] = parse_upload(upload.name, upload.getvalue())
            n = len(st.session_state["upload_docs"])
        elif src == "bench":
            with st.status(T("co.fetching")) as box:
                n = len(benchmark_corpus(box.write))
                box.update(state="complete")
        else:
            n = len(demo_corpus())
    except CorpusError as e:
        st.warning(T("co.bad", msg=say(e)))
        return
    except Exception as e:  # pip or the network failing is a message, not a crash; only fetching uses them
        st.warning(T("co.fetch_failed" if src == "bench" else "co.read_failed", msg=type(e).__name__))
        return
    st.session_state.update(corpus=src, edits=[])
    st.session_state.pop("ix_key", None)
    flash("success", T("co.loaded", n=f"{n:,}"))


def edit_documents(ix: Index) -> None:
    """The add / edit / delete form; every change is kept in this session's edit log."""
    st.subheader(T("co.edit"))
    snap, edits = ix.snapshot, st.session_state.setdefault("edits", [])
    mine = [d.id for op, d in edits if op == "put" and snap.get(d.id) is not None]
    live_ids = list(dict.fromkeys([*reversed(mine), *(snap.doc(n).id for n in list(snap.live)[:500])]))
    pick = st.selectbox(T("co.pick"), ["", *live_ids], format_func=lambda i: i or T("co.new"))
    current = snap.get(pick) if pick else None
    with st.form("doc"):
        doc_id = st.text_input(T("co.id"), current.id if current else f"new{ix.next_docnum}", max_chars=200)
        title = st.text_input(T("co.title"), current.title if current else "", max_chars=500)
        text = st.text_area(T("co.text"), current.text if current else "", max_chars=MAX_DOC_CHARS)
        c1, c2 = st.columns(2)
        cat = c1.text_input(T("co.category"), current.fields.get("category", "") if current else "", max_chars=200)
        region = c2.text_input(T("co.region"), current.fields.get("region", "") if current else "", max_chars=200)
        saved = st.form_submit_button(T("co.save"), type="primary")
    if saved:
        try:
            check_text(text, doc_id.strip())  # a run of letters that would stall jieba for every visitor
        except CorpusError as e:
            st.warning(T("co.bad", msg=say(e)))
            return
        if not doc_id.strip() or not text.strip():
            st.warning(T("co.need"))
        else:
            fields = {k: v for k, v in (("category", cat.strip()), ("region", region.strip())) if v}
            doc = Doc(doc_id.strip(), text, title, fields)
            ix.update(doc)
            edits.append(("put", doc))
            flash("success", T("co.saved", id=doc.id))
    if current and st.button(T("co.delete")):
        ix.delete(current.id)
        edits.append(("del", current.id))
        flash("success", T("co.deleted", id=current.id))


@st.cache_resource(show_spinner=False)
def shop():
    """The seeded demo shop (read-only, shared)."""
    return make_shop(seed=0, analyzer=base_analyzer("search"))


def recall_view() -> None:
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


main()
