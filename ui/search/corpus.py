"""The corpus view: choose the corpus and the analyzer mode; add, edit and delete documents live (kept in this
session's edit log, replayed by ui.search.session whenever its index is rebuilt)."""

import streamlit as st

from engine.search import Doc, Index
from engine.search.analyzer import MODES
from engine.search.corpus import MAX_DOC_CHARS, CorpusError, benchmark_corpus, check_text, demo_corpus, parse_upload
from ui.i18n import say, translator
from ui.text.search import TEXT

T = translator(TEXT)


def flash(kind: str, text: str) -> None:
    """Show `text` after the rerun that follows a change (so the status line above is already current)."""
    st.session_state["flash"] = (kind, text)
    st.rerun()


def view(ix: Index) -> None:
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
