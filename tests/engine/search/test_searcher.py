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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpora(), queries)
def test_conjunctive_queries_match_only_documents_holding_every_scoring_term(analyzer, corpus, q: str) -> None:
    """Where searcher._conjunctive says so (the scorers then skip their subset tests), brute force agrees: every
    document the query matches holds every term it scores."""
    from engine.search.query import parse
    from tests.engine.search.brute import Brute

    docs, deletes = corpus
    live = [d for d in docs if d.id not in deletes]
    node = parse(q)
    if not live or not searcher._conjunctive(node):
        return
    brute = Brute(analyzer, live)
    terms = brute.scoring_terms(node)
    for doc_id in brute.match(node) or ():
        assert all(brute.bm25(doc_id, [t]) > 0 for t in terms), (q, doc_id)


def test_conjunctive_shapes() -> None:
    """Words, phrases and ANDs of them (beside filters) are conjunctive; OR and NOT never are."""
    from engine.search.query import parse

    for q in ("倒排", '"倒排索引"', "倒排 索引", "倒排 region:北京", "倒* 索引", '(倒排 "数据结构") 学习'):
        assert searcher._conjunctive(parse(q)), q
    for q in ("倒排 OR 索引", "倒排 -索引", "-倒排", "(倒排 OR 索引) 学习", "region:北京", "倒*"):
        assert not searcher._conjunctive(parse(q)), q


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpora(), queries, st.booleans())
def test_plain_words_equals_the_general_evaluator(analyzer, corpus, q: str, merge: bool) -> None:
    """The shortcut for words, ANDs and ORs of words gives the general evaluator's set, scoring terms (with their
    dfs, in order) and term numbers, and brute force's set; for any other query it declines, changing nothing."""
    from engine.search.query import parse
    from tests.engine.search.brute import Brute
    from tests.engine.search.strategies import build_index

    snap = build_index(analyzer, corpus, merge).snapshot
    node = parse(q)
    fast = searcher._Evaluator(snap, None, [])
    fast.analyse_words(node)
    got = fast.plain_words(node)
    if got is None:
        assert not fast.scoring and not fast.tids and not fast.notes
        return
    slow = searcher._Evaluator(snap, None, [])
    slow.analyse_words(node)
    want = slow.eval(node)
    assert want is not None and set(got) == set(want)
    assert list(fast.scoring.items()) == list(slow.scoring.items()) and fast.tids == slow.tids
    live = [d for d in corpus[0] if d.id not in corpus[1]]
    assert {snap.docs[n].id for n in got} == (Brute(analyzer, live).match(node) or set())
