"""The analyzer view: jieba's three modes side by side on any text, and this session's own dictionary words."""

import pandas as pd
import streamlit as st

from engine.search import Analyzer
from engine.search.analyzer import MODES
from engine.search.corpus import MAX_DOC_CHARS
from ui.i18n import translator
from ui.search.session import Settings, base_analyzer
from ui.text.search import TEXT

T = translator(TEXT)
MAX_WORD_CHARS = 50  # a dictionary word or a term prefix: far longer than any word, bounded before it is used


def view(s: Settings) -> None:
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
