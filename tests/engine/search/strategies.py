"""Random corpora and queries for the search tests, and the brute-force check every searcher test uses."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

from engine.search import Doc, Index, ranking, searcher
from engine.search.query import parse
from tests.engine.search.brute import Brute

VOCAB = ["倒排", "索引", "搜索", "引擎", "排序", "文档", "数据", "结构", "机器", "学习", "lucene", "bm25", "roaring",
         "的", "模型", "北京", "Tantivy"]

REGIONS = ["北京", "上海", "广州"]

@st.composite
def corpora(draw):
    n = draw(st.integers(1, 12))
    docs = []
    for i in range(n):
        words = draw(st.lists(st.sampled_from(VOCAB), min_size=0, max_size=12))
        joiners = draw(st.lists(st.sampled_from([" ", "", "，"]), min_size=len(words), max_size=len(words)))
        text = "".join(w + j for w, j in zip(words, joiners, strict=True))
        docs.append(Doc(f"d{i:02d}", text, f"t{i}", {"region": draw(st.sampled_from(REGIONS)),
                                                     "category": draw(st.sampled_from(["a", "b"]))}))
    deletes = draw(st.lists(st.sampled_from([d.id for d in docs]), max_size=3, unique=True))
    return docs, deletes

word = st.sampled_from(VOCAB)

atom = st.one_of(
    word, word.map(lambda w: f'"{w}"'), st.tuples(word, word).map(lambda p: f'"{p[0]} {p[1]}"'),
    st.tuples(word, word).map(lambda p: f'"{p[0]}{p[1]}"'), word.map(lambda w: w[:1] + "*"),
    st.sampled_from(["region:北京", "region:上海", "category:a", "category:B"]),
)

queries = st.recursive(atom, lambda inner: st.one_of(
    st.tuples(inner, inner).map(" ".join), st.tuples(inner, inner).map(lambda p: f"({p[0]} OR {p[1]})"),
    inner.map(lambda q: f"-({q})"), st.tuples(inner, inner).map(lambda p: f"{p[0]} AND {p[1]}")), max_leaves=6)

def build_index(analyzer, corpus, merge: bool) -> Index:
    """An index of a generated corpus built the ways a session builds one: half in bulk, half one by one, the
    deletions applied, and merged into one segment or not."""
    docs, deletes = corpus
    ix = Index(analyzer)
    half = len(docs) // 2
    ix.add_many(docs[:half])
    for d in docs[half:]:
        ix.add(d)
    for d in deletes:
        assert ix.delete(d)
    if merge:
        ix.merge()
    return ix


def check_against_brute(analyzer, corpus, qs, merge, small: int = ranking.DEFAULT_SMALL) -> None:
    docs, deletes = corpus
    ix = build_index(analyzer, corpus, merge)
    live = [d for d in docs if d.id not in deletes]
    if not live:
        assert ix.search("倒排").total == 0
        return
    brute = Brute(analyzer, live)
    for q in qs:
        node = parse(q)
        expected = brute.match(node)
        res = searcher.search(ix.snapshot, q, k=1000, small=small)
        lean = searcher.search(ix.snapshot, q, k=1000, explain_hits=False, highlight_hits=False, trace_steps=False,
                               small=small)
        assert [(h.doc_id, h.score) for h in lean.hits] == [(h.doc_id, h.score) for h in res.hits] and not lean.trace
        assert lean.query == res.query == res.trace[0].label  # described lazily when there is no trace
        got = {h.doc_id for h in res.hits}
        assert got == (expected or set()), q
        assert res.total == len(got)
        terms = brute.scoring_terms(node)
        for h in res.hits:
            assert h.score == pytest.approx(brute.bm25(h.doc_id, terms), rel=1e-9, abs=1e-12), (q, h.doc_id)
            assert h.explanation.value == h.score == sum(d.value for d in h.explanation.details)  # bit for bit
        ranked = [(-h.score, h.doc_id) for h in res.hits]
        assert ranked == sorted(ranked), "hits must be ordered by score, ties by doc id"
