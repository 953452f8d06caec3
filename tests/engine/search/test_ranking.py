"""Ranking: top k, ties broken by id on both scoring paths, the pre-analysed path."""

from __future__ import annotations

import random

from engine.search import Doc, Index, searcher
from tests.engine.search.strategies import VOCAB


def test_top_k_is_a_prefix_of_the_full_ranking(analyzer) -> None:
    rng = random.Random(1)
    docs = [Doc(f"d{i:03d}", " ".join(rng.choices(VOCAB[:6], k=rng.randint(1, 8)))) for i in range(200)]
    ix = Index(analyzer)
    ix.add_many(docs)
    full = ix.search("倒排 OR 索引 OR 排序", k=1000).hits
    for k in (1, 3, 10, 50):
        assert [h.doc_id for h in ix.search("倒排 OR 索引 OR 排序", k=k).hits] == [h.doc_id for h in full[:k]]

def test_search_terms_equals_searching_the_query_string(analyzer) -> None:
    """The bench's pre-analysed path gives the same hits and scores as the query it stands for."""
    rng = random.Random(5)
    words = ["倒排", "索引", "搜索", "引擎", "排序", "文档"]
    ix = Index(analyzer)
    ix.add_many([Doc(f"d{i:03d}", " ".join(rng.choices(words, k=rng.randint(1, 9)))) for i in range(120)])
    cases = {"term": (["索引"], "索引"), "and": (["倒排", "引擎"], "倒排 引擎"),
             "or": (["排序", "文档"], "排序 OR 文档"), "phrase": (["倒排", "索引"], '"倒排 索引"')}
    for kind, (terms, q) in cases.items():
        want = [(h.doc_id, h.score) for h in ix.search(q, k=50).hits]
        assert want and [(h.doc_id, h.score) for h in ix.search_terms(kind, terms, 50).hits] == want, kind

def test_big_ties_break_by_doc_id_on_both_paths(analyzer) -> None:
    """Hundreds of equal scores: the top k are the smallest ids, whichever scorer ran and however ids were added."""
    ix = Index(analyzer)
    ids = [f"d{i:04d}" for i in range(300)]
    random.Random(3).shuffle(ids)  # doc numbers in a different order from ids
    ix.add_many([Doc(i, "倒排 索引") for i in ids[:200]])
    for i in ids[200:]:
        ix.add(Doc(i, "倒排 索引"))
    for small in (0, 10**9):
        for k in (1, 5, 50):
            hits = searcher.search(ix.snapshot, "倒排", k=k, small=small).hits
            assert [h.doc_id for h in hits] == sorted(ids)[:k] and len({h.score for h in hits}) == 1
