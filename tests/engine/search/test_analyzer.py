"""The analyzer: offsets point into the original text, positions count word characters, modes differ."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.search import Analyzer

PIECES = ["倒排", "索引", "搜索引擎", "ＴＡＮＴＩＶＹ", "ﬁle", "Lucene", " ", "，", "的", "BM25", "数据结构", "Ⅻ", "①",
          "\u3000"]


def fold(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", ch).lower() for ch in s)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), st.sampled_from(["precise", "full", "search"]))
def test_offsets_and_positions(analyzer, text: str, mode: str) -> None:
    norm = fold(text)
    for t in analyzer.tokens(text, mode=mode):
        assert fold(text[t.start:t.end]).strip() == t.text, (text, t)
        assert t.pos == sum(ch.isalnum() for ch in fold(text[: t.start]))
        assert t.text in norm


def test_modes_and_user_words() -> None:
    precise, full = Analyzer("precise"), Analyzer("full")
    assert precise.terms("搜索引擎") == ["搜索引擎"]
    assert set(full.terms("搜索引擎")) >= {"搜索", "索引", "引擎", "搜索引擎"}
    custom = Analyzer("precise", ["倒排列表"])
    assert "倒排列表" in custom.terms("倒排列表很长") and "倒排列表" not in precise.terms("倒排列表很长")
    assert precise.terms("的 了 是") == []
    assert Analyzer("precise", stopwords=set()).terms("的") == ["的"]


def test_the_shared_dictionary_segments_as_jieba_loading_its_own_and_words_never_leak() -> None:
    """Analyzers start from one loaded copy of jieba's dictionary: they cut exactly as a jieba Tokenizer that loads
    its own, and words one analyzer adds reach neither the shared dictionary nor an analyzer made before or after."""
    import jieba

    text = "倒排列表很长，搜索引擎的召回通道与倒排索引"
    before = Analyzer("precise")
    custom = Analyzer("precise", ["倒排列表", "召回通道"])
    after = Analyzer("precise")
    own = jieba.Tokenizer()  # the reference: loads the dictionary itself

    def cut(tk: jieba.Tokenizer) -> list[str]:
        return [w for w, _, _ in tk.tokenize(text, HMM=False)]

    assert cut(own) == cut(before._jieba)
    for w in ["倒排列表", "召回通道"]:
        own.add_word(w)
    assert cut(own) == cut(custom._jieba)
    assert {"倒排列表", "召回通道"} <= set(custom.terms(text))
    for plain in (before, after):
        assert not {"倒排列表", "召回通道"} & set(plain.terms(text))
        assert "召回通道" not in plain._jieba.FREQ
    assert before._jieba.FREQ is after._jieba.FREQ  # shared, not loaded again
    assert custom._jieba.FREQ is not before._jieba.FREQ
