"""Inverted-index search: tokenize, index, match, rank and recall, live on this session's own view of the index.

The bundled corpus is indexed once per server and analyzer mode; each session starts a copy-on-write writer
on that shared snapshot (`Index.from_snapshot`), so its own additions, edits and deletions stay its own. Each
view is a module of `ui/search/`; this page binds the controls, picks the view and writes the URL.
"""

import streamlit as st

from engine.search import Index, Snapshot
from engine.search.analyzer import MODES
from engine.search.recall import DEFAULT_QUOTAS
from ui import page, present
from ui.chrome import device_label, ensure_navigation
from ui.i18n import translator
from ui.search import analyzer, corpus, hits, internals, measured, recall, trace, yours
from ui.search.hits import K_CHOICES
from ui.search.session import Settings, session_index
from ui.state import bind_all, choice, int_in, number_in, publish, walkthrough
from ui.text.search import TEXT

ensure_navigation()
T = translator(TEXT)
VIEWS = ["search", "trace", "why", "analyzer", "internals", "corpus", "recall", "yours", "walkthrough"]
PRESETS = {1: {"view": "search", "q": "倒排 索引 -lucene"}, 2: {"view": "trace", "q": "倒排 索引 -lucene"},
           3: {"view": "search", "q": '"倒排索引"'}, 4: {"view": "search", "q": "category:推荐 region:北京"},
           5: {"view": "search", "q": "(倒排 OR"}, 6: {"view": "why"},
           # a search term, or the term channel has nothing to propose; the default quotas, so each channel admits
           7: {"view": "recall", "user": "u03", "rq": "跑鞋", **{f"quota_{ch}": q for ch, q in DEFAULT_QUOTAS.items()}}}
PHRASE, BOTH = '"倒排索引"', "倒排 索引"  # walkthrough step 3: a phrase against its words anywhere
# one short line each, so that no formula is cut off on a phone
FORMULAS = (r"\mathrm{score}(d)=\sum_{t\in q}\mathrm{idf}_t\cdot w_{t,d}",
            r"w_{t,d}=\frac{tf_{t,d}\,(k_1+1)}{tf_{t,d}+k_1\big(1-b+b\,\frac{|d|}{avgdl}\big)}",
            r"\mathrm{idf}_t=\ln\!\Big(1+\frac{N-df_t+0.5}{df_t+0.5}\Big)")


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(T, *FORMULAS)
    s = controls()
    ix = session_index(s)
    status(ix.snapshot, s)
    match s.view:
        case "search":
            hits.view(ix)
        case "trace":
            trace.view(ix)
        case "why":
            measured.view(s)
        case "analyzer":
            analyzer.view(s)
        case "internals":
            internals.view(ix)
        case "corpus":
            corpus.view(ix)
        case "recall":
            recall.view()
        case "yours":
            yours.view(ix)
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


main()
