"""The "why didn't it match?" doctor: its verdict is the engine's own search's, its reasons name the failing
clause, and each fix it proposes was run on the engine and says so truthfully."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.search import Analyzer, Doc, Index, QueryError, doctor
from engine.search.corpus import demo_corpus
from tests.engine.search.strategies import build_index, corpora, queries

DOCS = [Doc("a", "搜索引擎把查询词送进倒排列表。", "索引入门", {"region": "北京"}),
        Doc("b", "倒排是一种思路，索引是一种结构。", "", {"region": "上海 浦东", "category": "搜索"}),
        Doc("c", "北京的数据结构课程", "", {"region": "北京"}),
        Doc("d", "Lucene 的段合并会清除带删除标记的文档。", "", {"region": "广州"})]


@pytest.fixture(scope="module")
def precise() -> Analyzer:
    return Analyzer("precise")


def engine_ids(ix: Index, q: str) -> set[str]:
    """The engine's own answer: every hit of a search asked for all of them."""
    return {h.doc_id for h in ix.search(q, k=max(len(ix), 1), explain=False, highlight=False, trace=False).hits}


def verdicts_agree(ix: Index, q: str, doc_ids: list[str]) -> int:
    """Check the doctor against the engine for each id (both refuse a bad query alike); returns the pairs checked."""
    try:
        hits = engine_ids(ix, q)
    except QueryError as e:
        for d in doc_ids:
            with pytest.raises(QueryError) as mine:
                doctor(ix, q, d, fixes=False)
            assert mine.value.code == e.code
        return len(doc_ids)
    for d in doc_ids:
        assert doctor(ix, q, d, fixes=False).matched == (d in hits), (q, d)
    return len(doc_ids)


def small_index(analyzer: Analyzer, deleted: tuple[str, ...] = ("d",)) -> Index:
    ix = Index(analyzer)
    ix.add_many(DOCS)
    for d in deleted:
        ix.delete(d)
    return ix


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(corpus=corpora(), qs=st.lists(queries, min_size=1, max_size=4), merge=st.booleans())
def test_verdict_equals_the_engines_search(analyzer, corpus, qs, merge) -> None:
    docs, _deletes = corpus
    ix = build_index(analyzer, corpus, merge)
    ids = [d.id for d in docs] + ["nobody"]
    for q in qs:
        verdicts_agree(ix, q, ids)


@pytest.mark.slow
def test_verdict_equals_the_engines_on_the_demo_corpus(precise) -> None:
    """Every document of the bundled corpus against a handful of the page's queries, in precise mode."""
    ix = Index(precise)
    docs = demo_corpus()
    ix.add_many(docs)
    ix.delete(docs[3].id)
    ids = [d.id for d in docs]
    n = sum(verdicts_agree(ix, q, ids) for q in ("倒排 索引 -lucene", '"倒排索引"', "category:推荐 region:北京",
                                                 "(倒排 OR 召回) 索*", "的"))
    assert n == 5 * len(docs)


@pytest.mark.slow
def test_verdict_agreement_count_on_the_demo_corpus(analyzer, precise) -> None:
    """The measured count: every (query, document) pair of 40 queries on the whole demo corpus, both modes."""
    docs = demo_corpus()
    vocab = ["倒排", "索引", "搜索", "引擎", "召回", "lucene", "BM25", "分词", "北京", "结构", "数据", "排序"]
    qs = [*vocab, *(f'"{a}{b}"' for a, b in itertools.pairwise(vocab)), *(f"{a} -{b}" for a, b in
          zip(vocab, vocab[2:], strict=False)), "region:北京 倒排", "category:推荐", "索*", "(倒排 OR 召回) 索引"]
    total = 0
    for an in (analyzer, precise):
        ix = Index(an)
        ix.add_many(docs)
        ix.delete(docs[7].id)
        total += sum(verdicts_agree(ix, q, [d.id for d in docs]) for q in qs)
    print(f"doctor agrees with the engine's search on {total:,} of {total:,} (query, document) pairs")
    assert total == 2 * len(qs) * len(docs)


def reasons(dg) -> list[str]:
    return [r.code for r in dg.reasons]


def test_a_word_jieba_cut_differently_in_the_document(precise) -> None:
    ix = small_index(precise)
    dg = doctor(ix, "索引", "a")  # precise mode keeps 搜索引擎 whole: the characters are there, the term is not
    assert not dg.matched and reasons(dg) == ["doctor.split"]
    assert dg.reasons[0].params["cut"] == "搜索引擎"
    working = [f for f in dg.fixes if f.matched]
    assert working and working[0].query == "搜索引擎" and "a" in engine_ids(ix, working[0].query)
    assert all(("a" in engine_ids(ix, f.query)) == f.matched for f in dg.fixes if f.query is not None)


def test_a_dictionary_word_fix_is_rerun_with_the_larger_dictionary(precise) -> None:
    ix = small_index(precise)
    assert "倒排" not in precise.terms(DOCS[0].text)  # the document is cut 倒 | 排列 | 表
    dg = doctor(ix, "倒排", "a")
    assert reasons(dg) == ["doctor.split"]
    words = [f for f in dg.fixes if f.words]
    assert {f.words for f in words} == {("倒排",), ("倒排列",)}  # the term, and the characters the cut spans
    f = words[0]  # one fresh analyzer (jieba loads its dictionary again: about a second) is enough to compare
    again = Index(Analyzer("precise", f.words))
    again.add_many(DOCS)
    assert f.matched == ("a" in engine_ids(again, "倒排")), f.words


def test_a_phrase_gap_is_named_and_unquoting_fixes_it(precise) -> None:
    ix = small_index(precise)
    dg = doctor(ix, '"倒排索引"', "b")
    assert reasons(dg) == ["doctor.phrase_gap"] and "索引@2" in dg.reasons[0].params["need"]
    assert dg.fixes[0].query == "倒排 索引" and dg.fixes[0].matched


def test_field_mismatch_missing_field_title_and_field_value(precise) -> None:
    ix = small_index(precise)
    dg = doctor(ix, "region:北京 倒排", "b")
    assert reasons(dg) == ["doctor.field_mismatch"] and dg.reasons[0].params["actual"] == "上海 浦东"
    assert any(f.query == 'region:"上海 浦东" 倒排' and f.matched for f in dg.fixes)
    assert reasons(doctor(ix, "category:搜索", "a")) == ["doctor.field_missing"]
    assert reasons(doctor(ix, "入门", "a")) == ["doctor.title_only"]
    dg = doctor(ix, "北京", "a")  # in the region field, not the text
    assert reasons(dg) == ["doctor.field_value"] and dg.fixes[0].query == "region:北京" and dg.fixes[0].matched


def test_excluded_deleted_unknown_nothing_and_matched(precise) -> None:
    ix = small_index(precise)
    dg = doctor(ix, "倒排 -结构", "b")
    assert reasons(dg) == ["doctor.excluded"] and dg.fixes[0].query == "倒排" and dg.fixes[0].matched
    assert reasons(doctor(ix, "lucene", "d")) == ["doctor.deleted"]
    assert reasons(doctor(ix, "lucene", "zz")) == ["doctor.unknown_id"]
    assert reasons(doctor(ix, "的", "a")) == ["doctor.nothing"]
    dg = doctor(ix, "倒排 OR 北京", "b")
    assert dg.matched and dg.reasons == [] and dg.fixes == [] and dg.clauses[0].kind == "or"
    assert [c.matched for c in dg.clauses] == [True, True, False]


def test_a_query_the_engine_refuses_is_refused_alike(precise) -> None:
    ix = small_index(precise)
    for q in ("colour:red", "(倒排", "zz*" * 0 + "a*b"):
        with pytest.raises(QueryError):
            doctor(ix, q, "a")
        with pytest.raises(QueryError):
            ix.search(q)
