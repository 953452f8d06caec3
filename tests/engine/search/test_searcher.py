"""The searcher against a brute-force scan: random corpora, random boolean / phrase / prefix / field queries."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.search import Doc, Index, searcher
from engine.search.query import And, Word
from tests.engine.search.strategies import VOCAB, check_against_brute, corpora, queries


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpora(), st.lists(queries, min_size=1, max_size=4), st.booleans(), st.sampled_from([0, 10**9]))
def test_matches_and_scores_equal_brute_force(analyzer, corpus, qs, merge, small: int) -> None:
    """Both scoring paths (plain Python for a few candidates, numpy for many) against brute force."""
    check_against_brute(analyzer, corpus, qs, merge, small)

def test_word_split_into_tokens_means_and(analyzer) -> None:
    ix = Index(analyzer)
    ix.add_many([Doc("both", "倒排 和 索引"), Doc("one", "只有索引"), Doc("phrase", "倒排索引")])
    assert {h.doc_id for h in ix.search("倒排索引").hits} == {"both", "phrase"}
    assert {h.doc_id for h in ix.search('"倒排索引"').hits} == {"phrase"}
    step = next(s for s in ix.search("倒排索引").trace if s.op == "and")
    assert "倒排 AND 索引" in step.label

ODD_WORDS = [*VOCAB, "ＡＢＣ", "Ⅻ", "ﬁle", "a¨b", "倒排索引", "C++", "e.g."]  # NFKC folds, expansions, jieba blocks

@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc"),
                                      blacklist_characters='()"-*:\\'), min_size=1, max_size=8)
                | st.sampled_from(ODD_WORDS), min_size=1, max_size=5))
def test_one_analyzer_call_for_all_words_equals_one_per_word(analyzer, words: list[str]) -> None:
    ix = Index(analyzer)
    node = And(tuple(Word(w, i * 100) for i, w in enumerate(words)))
    ev = searcher._Evaluator(ix.snapshot, [], [])
    ev.analyse_words(node)
    for i, w in enumerate(words):
        assert ev.word_terms[i * 100] == analyzer.terms(w, mode="precise"), w


def test_a_prefix_too_wide_points_at_itself_in_the_query(analyzer, monkeypatch) -> None:
    import pytest

    from engine.search.query import QueryError

    monkeypatch.setattr(searcher, "MAX_PREFIX_TERMS", 1)
    ix = Index(analyzer)
    ix.add_many([Doc("1", "搜索 搜狗"), Doc("2", "搜集")])
    q = "引擎 OR 搜*"
    with pytest.raises(QueryError) as err:
        ix.search(q)
    assert err.value.code == "search.prefix_too_many"
    assert err.value.position == q.index("搜*") and err.value.query == q
