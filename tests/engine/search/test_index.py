"""The writer: snapshots stay consistent during writes, ids and fields, parallel bulk builds."""

from __future__ import annotations

import threading

import pytest

from engine.search import Doc, Index
from tests.engine.search.fixtures import results


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


def test_an_update_is_one_snapshot_readers_never_see_the_document_missing(analyzer) -> None:
    """A writer thread updates one document over and over while this thread searches for it: with delete and
    add published separately most searches in a tight loop missed it."""
    import threading

    ix = Index(analyzer)
    ix.add_many([Doc("keep", "倒排索引 第0版"), *(Doc(f"o{i}", "搜索 引擎") for i in range(20))])
    stop, missing, seen = threading.Event(), 0, 0

    def writer() -> None:
        i = 0
        while not stop.is_set():
            i += 1
            ix.update(Doc("keep", f"倒排索引 第{i}版"))

    t = threading.Thread(target=writer)
    t.start()
    try:
        for _ in range(3000):
            snap = ix.snapshot
            seen += 1
            missing += snap.get("keep") is None or ix.search_terms("term", ["倒排"]).total == 0
    finally:
        stop.set()
        t.join()
    assert seen == 3000 and missing == 0
