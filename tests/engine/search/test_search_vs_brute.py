"""Random corpora and random boolean / phrase / prefix / field queries against a brute-force scan."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.search import Doc, Index, QueryError, query, ranking, searcher
from engine.search.query import And, Word, parse
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


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpora(), st.lists(queries, min_size=1, max_size=4), st.booleans(), st.sampled_from([0, 10**9]))
def test_matches_and_scores_equal_brute_force(analyzer, corpus, qs, merge, small: int) -> None:
    """Both scoring paths (plain Python for a few candidates, numpy for many) against brute force."""
    check_against_brute(analyzer, corpus, qs, merge, small)


def check_against_brute(analyzer, corpus, qs, merge, small: int = ranking.DEFAULT_SMALL) -> None:
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


def test_ten_thousand_random_query_strings_raise_only_query_error(analyzer) -> None:
    ix = Index(analyzer)
    ix.add_many([Doc("a", "倒排索引 lucene", fields={"region": "北京"}), Doc("b", "搜索引擎 的 排序")])
    rng = random.Random(0)
    alphabet = [*list('()"-*: \\'), "AND", "OR", "NOT", "region", "倒排", "a", "索", "\x00", "：", "（", "\t", "é"]
    errors = 0
    for _ in range(10_000):
        q = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        try:
            ix.search(q)
        except QueryError as e:
            errors += 1
            assert 0 <= e.position <= len(q) and e.message
    assert 0 < errors < 10_000


PARTS = ["OR", "AND", "NOT", "or", "倒排", "a-b", "-x", "x*", "k:v", '"p"', '"', '""', '"a(b)"', '"\\"', "(", ")", "Ｏ",
         "é", "\\", "\u3000"]


GAPS = [" ", "  ", "\t", "\u3000", "\x1c", "\x85", "\u200b", ""]  # str.isspace and not (zero-width space)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PARTS), max_size=8), st.lists(st.sampled_from(GAPS), min_size=9, max_size=9))
def test_plain_query_fast_path_builds_the_general_parsers_tree(parts: list[str], gaps: list[str]) -> None:
    """Where the fast path for words and ORs answers, its tree equals the general parser's, positions included."""
    q = gaps[0] + "".join(p + g for p, g in zip(parts, gaps[1:], strict=False))
    fast = query._parse_plain(q)
    try:
        general = query._Parser(q).parse()
    except QueryError:
        assert fast is None
    else:
        assert fast is None or fast == general


def test_plain_query_fast_path_takes_words_and_ors() -> None:
    assert query._parse_plain("倒排 索引 OR bm25") == query.Or((query.And((Word("倒排", 0), Word("索引", 3))),
                                                                  Word("bm25", 9)))
    assert query._parse_plain('x "数据结构"') == query.And((Word("x", 0), query.Phrase("数据结构", 2)))
    assert query._parse_plain("a -b") is None and query._parse_plain("OR a") is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_arbitrary_text_raises_only_query_error(analyzer, q: str) -> None:
    ix = Index(analyzer)
    ix.add(Doc("a", "倒排索引"))
    try:
        res = ix.search(q)
    except QueryError as e:
        assert e.message
    else:
        assert res.total in (0, 1)


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
