"""Looking inside an index: the term table, posting lists and forward/inverted views against a plain scan."""

from __future__ import annotations

from engine.search import Doc, Index
from engine.search.inspect import forward_view, inverted_view, live_postings, posting_stats, term_table


def _index(analyzer) -> tuple[Index, dict[str, list[str]]]:
    texts = {f"d{i}": " ".join(["倒排", "索引"][: 1 + i % 2] + ["搜索"] * (i % 3)) for i in range(30)}
    ix = Index(analyzer)
    ix.add_many([Doc(i, t) for i, t in list(texts.items())[:20]])
    for i, t in list(texts.items())[20:]:
        ix.add(Doc(i, t))  # more segments
    for gone in ("d3", "d25"):
        ix.delete(gone)
        del texts[gone]
    return ix, {i: analyzer.terms(t) for i, t in texts.items()}


def test_term_table_and_postings_equal_a_scan_across_segments_and_deletes(analyzer) -> None:
    ix, terms = _index(analyzer)
    snap = ix.snapshot
    assert len(snap.segments) > 1 and snap.has_deletes
    rows = {r["term"]: r for r in term_table(ix)}
    assert rows == {r["term"]: r for r in term_table(snap)}  # a writer or its snapshot alike
    for term in ("倒排", "索引", "搜索"):
        holders = {i for i, ts in terms.items() if term in ts}
        assert {snap.doc(n).id for n in live_postings(ix, term)} == holders
        assert rows[term]["df"] == len(holders) == posting_stats(snap, term).cardinality
    assert live_postings(ix, "不存在") == live_postings(snap, "不存在") and posting_stats(ix, "不存在") is None
    mine = live_postings(ix, "倒排")
    mine.clear()  # a copy: the index's own bitmaps are untouched
    assert len(live_postings(ix, "倒排")) == rows["倒排"]["df"]


def test_forward_and_inverted_views_of_a_few_documents(analyzer) -> None:
    ix, terms = _index(analyzer)
    ids = ["d1", "d2", "d3"]  # d3 was deleted: not shown
    fwd = forward_view(ix, ids)
    assert [r["id"] for r in fwd] == ["d1", "d2"] and [r["terms"] for r in fwd] == [terms["d1"], terms["d2"]]
    inv = inverted_view(ix.snapshot, ids)
    assert inv == {t: [i for i in ("d1", "d2") if t in terms[i]] for t in {*terms["d1"], *terms["d2"]}}


def test_race_holds_document_frequency_fixed_as_the_collection_grows(analyzer) -> None:
    """Filler documents share no term with the queries: each query's df is the corpus's at every size, while
    the scan reads every document (the scan and the index agree on every query, or race raises)."""
    from engine.search.inspect import race

    docs = [Doc(str(i), t) for i, t in enumerate(["倒排索引 搜索", "搜索 引擎 排序", "索引 压缩 位图", "排序 打分"])]
    rows = race(docs, analyzer, [4, 16, 64], n_queries=5, rounds=3)
    assert [r["docs"] for r in rows] == [4, 16, 64]
    assert len({r["median_df"] for r in rows}) == 1 and rows[0]["median_df"] >= 1
    # counts that load cannot change: the scan reads N documents per query, the lookup only the postings
    assert [r["scan_docs_read"] for r in rows] == [4 * 5, 16 * 5, 64 * 5]
    assert len({r["postings_read"] for r in rows}) == 1 and rows[0]["postings_read"] < rows[0]["scan_docs_read"]
    for r in rows:  # interleaved rounds: a median inside its own fastest-slowest range
        assert r["rounds"] == 3 and isinstance(r["busy"], bool)
        for side in ("scan", "inverted"):
            assert 0 < r[f"{side}_lo_ms"] <= r[f"{side}_ms"] <= r[f"{side}_hi_ms"]


def test_race_on_the_demo_corpus_scan_loses_in_every_round(analyzer) -> None:
    """What the page's race shows, measured on the engine rather than read from the shipped recording: on the
    demo corpus grown to 4,000 documents the lookup's slowest round beats the scan's fastest (by far: the scan
    reads all 4,000 documents per query, the lookup a posting list of about df = 2), and df stays fixed."""
    from engine.search.corpus import demo_corpus
    from engine.search.inspect import race
    from engine.timing import Timing, clearly_faster

    small, large = race(demo_corpus(), analyzer, [205, 4000], n_queries=10, rounds=3)
    assert small["median_df"] == large["median_df"] and small["postings_read"] == large["postings_read"]
    assert large["scan_docs_read"] == 4000 * 10 > 100 * large["postings_read"]

    def timing(row: dict, side: str) -> Timing:
        return Timing(row[f"{side}_ms"], row[f"{side}_lo_ms"], row[f"{side}_hi_ms"], row["rounds"])

    assert clearly_faster(timing(large, "inverted"), timing(large, "scan"))


def test_race_figure_draws_each_rounds_range(analyzer) -> None:
    from engine.search.plots import race_figure

    rows = [{"docs": 10, "scan_ms": 2.0, "scan_lo_ms": 1.5, "scan_hi_ms": 3.0, "inverted_ms": 0.1,
             "inverted_lo_ms": 0.05, "inverted_hi_ms": 0.2}]
    scan, inverted = race_figure(rows).data
    assert list(scan.error_y.array) == [1.0] and list(scan.error_y.arrayminus) == [0.5]
    assert list(inverted.error_y.array) == [0.1] and list(inverted.error_y.arrayminus) == [0.05]
