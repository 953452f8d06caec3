"""Persistence (round trip, interrupted save, corruption), concurrency, highlighting and explanations."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from engine.search import Analyzer, Doc, Index, IndexFormatError
from engine.search import store as store_module

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


def test_save_load_round_trip(analyzer, tmp_path: Path) -> None:
    ix = build(analyzer)
    ix.save(tmp_path / "ix")
    back = Index.load(tmp_path / "ix")
    for q in ["索引", "region:上海", '"倒排索引"', "索* -lucene", "bm25"]:
        assert results(back, q) == results(ix, q), q
    assert (back.k1, back.b, len(back)) == (1.5, 0.6, 2)
    back.add(Doc("d4", "新文档 索引"))  # doc numbers continue after a load
    assert {h.doc_id for h in back.search("索引").hits} == {"d1", "d3", "d4"}


def test_interrupted_save_leaves_the_previous_version(analyzer, tmp_path: Path, monkeypatch) -> None:
    ix = build(analyzer)
    ix.save(tmp_path / "ix")
    before = results(Index.load(tmp_path / "ix"), "索引")
    ix.add(Doc("d9", "索引 索引 索引"))
    real_replace = os.replace

    def crash(src, dst):
        if str(dst).endswith("CURRENT"):
            raise OSError("power cut")
        return real_replace(src, dst)

    monkeypatch.setattr(store_module.os, "replace", crash)
    with pytest.raises(OSError):
        ix.save(tmp_path / "ix")
    monkeypatch.undo()
    assert results(Index.load(tmp_path / "ix"), "索引") == before


@pytest.mark.parametrize("damage", ["flip", "truncate", "manifest", "current", "foreign", "version"])
def test_corrupt_or_foreign_directories_raise_index_format_error(analyzer, tmp_path: Path, damage: str) -> None:
    root = tmp_path / "ix"
    build(analyzer).save(root)
    vdir = root / (root / "CURRENT").read_text().strip()
    target = next(vdir.rglob("tf.npy.z"))
    if damage == "flip":
        data = bytearray(target.read_bytes())
        data[-1] ^= 0xFF
        target.write_bytes(bytes(data))
    elif damage == "truncate":
        target.write_bytes(target.read_bytes()[:10])
    elif damage == "manifest":
        (vdir / "manifest.json").write_text("{not json")
    elif damage == "current":
        (root / "CURRENT").write_text("v999999")
    elif damage == "foreign":
        root = tmp_path / "other"
        root.mkdir()
        (root / "notes.txt").write_text("hello")
    elif damage == "version":
        m = json.loads((vdir / "manifest.json").read_text())
        m["version"] = 99
        (vdir / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(IndexFormatError):
        Index.load(root)


def test_searches_see_consistent_snapshots_during_writes(analyzer) -> None:
    ix = Index(analyzer)
    ix.add_many([Doc("seed-a", "pair 索引"), Doc("seed-b", "pair 索引")])
    stop = threading.Event()
    problems: list[str] = []

    def writer() -> None:
        for i in range(60):  # documents come and go two at a time
            ix.add_many([Doc(f"a{i}", "pair 索引 新"), Doc(f"b{i}", "pair 索引 新")])
            if i % 3 == 2:
                ix.delete(f"a{i - 1}")
                ix.delete(f"b{i - 1}")
        stop.set()

    def reader() -> None:
        while not stop.is_set():
            try:
                res = ix.search("pair", k=5)
                if res.total % 2:
                    problems.append(f"odd total {res.total}: a half-applied write was visible")
            except Exception as e:
                problems.append(repr(e))

    threads = [threading.Thread(target=reader) for _ in range(3)] + [threading.Thread(target=writer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not problems, problems[:3]
    assert ix.search("pair").total == len(ix)


def test_highlight_escapes_user_html(analyzer) -> None:
    ix = Index(analyzer)
    ix.add(Doc("x", '<script>alert("搜索")</script> & 搜索引擎 <b>bold</b>'))
    hl = ix.search("搜索").hits[0].highlight
    assert "<script>" not in hl and "<b>" not in hl
    assert "&lt;script&gt;" in hl and "&amp;" in hl and "<mark>搜索" in hl


def test_explanation_tree_sums_to_the_score(analyzer) -> None:
    ix = build(analyzer)
    hit = ix.search("索引 OR lucene").hits[0]
    e = hit.explanation
    assert e.value == hit.score == sum(d.value for d in e.details)
    for term in e.details:
        idf, tfnorm = term.details
        assert term.value == pytest.approx(idf.value * tfnorm.value, rel=1e-12)


def test_ids_and_fields(analyzer) -> None:
    ix = Index(analyzer)
    ix.add(Doc("a", "x"))
    with pytest.raises(ValueError, match="exists"):
        ix.add(Doc("a", "y"))
    with pytest.raises(ValueError):
        ix.add(Doc("", "y"))
    ix.update(Doc("a", "换了 内容", fields={"region": "ＢＥＩＪＩＮＧ"}))
    assert ix.get("a").text == "换了 内容" and len(ix) == 1
    assert ix.search("region:beijing").total == 1
    assert not ix.delete("nope")
    from engine.search import QueryError

    with pytest.raises(QueryError, match="unknown field"):
        ix.search("colour:red")


def test_parallel_bulk_build_equals_serial(analyzer) -> None:
    docs = [Doc(f"d{i}", f"倒排索引 第{i}篇 搜索引擎 排序 {'数据' * (i % 4)}") for i in range(40)]
    serial, parallel = Index(analyzer), Index(analyzer)
    serial.add_many(docs)
    parallel.add_many(docs, workers=2)
    for q in ["索引", "数据 排序", '"搜索引擎"']:
        assert results(serial, q) == results(parallel, q)
