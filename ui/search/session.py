"""This session's index: the bundled corpus indexed once per server and analyzer mode, and each session's
copy-on-write writer on that shared snapshot (`Index.from_snapshot`), so its own additions, edits and deletions
stay its own."""

from dataclasses import dataclass

import streamlit as st

from engine.search import Analyzer, Doc, Index, Snapshot
from engine.search.corpus import benchmark_corpus, demo_corpus
from ui.cache import shared_resource
from ui.i18n import translator
from ui.text.search import TEXT

T = translator(TEXT)


@dataclass(frozen=True)
class Settings:
    """The page's state, bound to the URL."""

    view: str
    mode: str
    words: tuple[str, ...]  # this session's dictionary additions


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
