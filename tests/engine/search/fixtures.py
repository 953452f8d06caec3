"""A small index with an addition, a batch and a delete, shared by the store and index tests."""

from __future__ import annotations

from engine.search import Analyzer, Doc, Index

DOCS = [
    Doc("d1", "倒排索引是搜索引擎的核心数据结构。Lucene 和 tantivy 都使用倒排索引。", "倒排索引", {"region": "北京"}),
    Doc("d2", "BM25 考虑词频和文档长度。", "BM25", {"region": "上海"}),
    Doc("d3", "段合并会删除带墓碑标记的文档。索引 索引", "段合并", {"region": "上海"}),
]

def build(analyzer: Analyzer) -> Index:
    ix = Index(analyzer, k1=1.5, b=0.6)
    ix.add_many(DOCS[:2])
    ix.add(DOCS[2])
    ix.delete("d2")
    return ix

def results(ix: Index, q: str) -> list[tuple[str, float]]:
    return [(h.doc_id, h.score) for h in ix.search(q).hits]
