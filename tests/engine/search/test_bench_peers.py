"""The benchmark's peers answer a query string in their own syntax as they answer the same query built
from terms. tantivy is a bench-only dependency: without it (as in CI) the tantivy test is skipped."""

from __future__ import annotations

import pytest

from engine.search import Doc
from engine.search.peers import Fts5, Tantivy

# tokens that would read as tantivy or FTS5 syntax if they were not quoted and escaped
DOCS = [["倒排", "索引"], ['a"b', "索引"], ["x\\y", "倒排"], ["AND", "OR", "倒排"], ["foo:bar", "索引", "倒排"],
        ["索引", "倒排", "索引"], ["NOT", "-z", "(", "*"]]
QUERIES = [("term", ["倒排"]), ("term", ['a"b']), ("term", ["x\\y"]), ("and", ["倒排", "索引"]), ("and", ["AND", "OR"]),
           ("or", ["foo:bar", "x\\y"]), ("or", ["NOT", "-z"]), ("phrase", ["倒排", "索引"]),
           ("phrase", ["索引", "倒排"]), ("phrase", ['a"b', "索引"]), ("term", ["("]), ("and", ["-z", "*"])]


def test_tantivy_parses_its_query_syntax_into_the_same_query(tmp_path) -> None:
    pytest.importorskip("tantivy")
    peer = Tantivy(tmp_path)
    peer.build(DOCS)
    for kind, terms in QUERIES:
        want = [(round(score, 5), addr.doc) for score, addr in peer.top10(kind, terms)]
        assert want, (kind, terms)
        assert [(round(score, 5), addr.doc) for score, addr in peer.top10_raw(kind, terms)] == want, (kind, terms)


def test_fts5_match_syntax_quotes_every_token(tmp_path) -> None:
    peer = Fts5(tmp_path / "fts.db")
    peer.build([[t for t in doc if t.isalnum() or '"' in t] for doc in DOCS])  # unicode61 drops the rest
    got = {(kind, tuple(terms)): {r[0] for r in peer.top10_raw(kind, terms)} for kind, terms in QUERIES[:4]}
    assert got == {("term", ("倒排",)): {0, 2, 3, 4, 5}, ("term", ('a"b',)): {1}, ("term", ("x\\y",)): set(),
                   ("and", ("倒排", "索引")): {0, 4, 5}}


def test_session_cost_measures_both_ways_and_each_session_sees_its_own_document(analyzer) -> None:
    """The memory-per-session figure: a fork keeps far less memory and starts in far less time than a full
    per-session build (here on 615 documents; the bench measures the 54,607-document corpus)."""
    from engine.search.corpus import demo_corpus
    from engine.search.sessions import session_cost

    docs = [Doc(f"{i}-{d.id}", d.text, d.title, d.fields) for i in range(3) for d in demo_corpus()]
    tokens = [[(t.text, t.pos) for t in analyzer.tokens(d.text)] for d in docs]
    out = session_cost(docs, tokens, analyzer, sessions=2)
    assert set(out) == {"fork", "copy", "memory_ratio_copy_over_fork", "sessions"}
    assert out["fork"]["first_search_ms"] < out["copy"]["first_search_ms"]
    assert out["copy"]["mib_per_session"] > 5 * out["fork"]["mib_per_session"] > 0
