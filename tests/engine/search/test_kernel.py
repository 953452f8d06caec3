"""The compiled lean top k (engine.search.kernel) against the searcher's Python path and brute force: the same hits,
scores to the bit, totals and scoring terms, with ties broken by id even where ids are not in doc-number order."""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.search import Doc, Index, SearchResult, kernel, lean
from engine.search.query import parse
from tests.engine.search.brute import Brute
from tests.engine.search.strategies import VOCAB

pytest.importorskip("numba")

word = st.sampled_from(VOCAB)
lean_queries = st.one_of(  # the shapes the kernel takes, and a few it must decline
    word, st.tuples(word, word).map(" ".join), st.tuples(word, word, word).map(" ".join),
    st.tuples(word, word).map(" OR ".join), st.tuples(word, word, word).map(" OR ".join),
    st.tuples(word, word).map(lambda p: f'"{p[0]}{p[1]}"'),
    st.tuples(word, word, word).map(lambda p: f'"{"".join(p)}"'),
    word.map(lambda w: f'"{w}{w}"'), st.just("倒排索引 OR 数据"), st.just("-倒排 索引"), st.just("的"), st.just('"的"'))


@st.composite
def shuffled_corpora(draw) -> list[Doc]:
    """Documents whose ids are in a random order against their doc numbers (so ties need the id ranks), many of
    one length (so ties happen)."""
    n = draw(st.integers(1, 14))
    ids = draw(st.permutations([f"d{i:02d}" for i in range(n)]))
    docs = []
    for i in ids:
        words = draw(st.lists(word, min_size=0, max_size=8))
        docs.append(Doc(i, " ".join(words)))
    return docs


def _with(jit: bool, search: Callable[[], SearchResult]) -> SearchResult:
    """`search()` with the compiled path on or off (hypothesis tests cannot take monkeypatch's fixture)."""
    kernel_was = kernel.ENABLED
    kernel.ENABLED = jit
    try:
        return search()
    finally:
        kernel.ENABLED = kernel_was


def _run(ix: Index, q: str, k: int, jit: bool) -> SearchResult:
    return _with(jit, lambda: ix.search(q, k, explain=False, highlight=False, trace=False))


def _same(a, b) -> bool:
    return ([(h.docnum, h.score) for h in a.hits] == [(h.docnum, h.score) for h in b.hits]
            and (a.total, a.scored, a.terms, a.notes, a.query) == (b.total, b.scored, b.terms, b.notes, b.query))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shuffled_corpora(), st.lists(lean_queries, min_size=1, max_size=5), st.sampled_from([0, 1, 3, 1000]))
def test_kernel_equals_the_python_path_and_brute_force(analyzer, docs: list[Doc], qs: list[str], k: int) -> None:
    ix = Index(analyzer)
    ix.add_many(docs)
    assert ix.snapshot.single
    brute = Brute(analyzer, docs)
    for q in qs:
        fast, slow = _run(ix, q, k, True), _run(ix, q, k, False)
        assert _same(fast, slow), q
        assert {h.doc_id for h in _run(ix, q, 1000, True).hits} == (brute.match(parse(q)) or set()), q


def test_the_kernel_runs_the_shapes_it_claims(analyzer, monkeypatch) -> None:
    """Words, ANDs, ORs of one-term words and phrases go to the kernel; NOT, a stopword and an OR of a split word
    decline to the Python path (which the equality above then covers)."""
    ix = Index(analyzer)
    ix.add_many([Doc("a", "倒排 索引 数据"), Doc("b", "倒排索引 结构")])
    calls = []
    real = lean.top_terms
    monkeypatch.setattr(lean, "top_terms", lambda *a: calls.append(a[1]) or real(*a))
    monkeypatch.setattr(kernel, "ENABLED", True)
    taken_by_kernel = ["倒排", "倒排 索引", "倒排 OR 数据", '"倒排索引"', "不存在"]
    declined = ["-倒排 索引", "的", "倒排索引 OR 数据", "倒*"]
    for q, taken in [(q, True) for q in taken_by_kernel] + [(q, False) for q in declined]:
        calls.clear()
        ix.search(q, 10, explain=False, highlight=False, trace=False)
        assert bool(calls) is taken, q
    calls.clear()
    ix.search("倒排", 10)  # explained and highlighted: the Python path
    assert not calls


def _tied_index(analyzer) -> Index:
    """Six documents of one text (equal scores), ids in reverse doc-number order."""
    ix = Index(analyzer)
    ix.add_many([Doc(f"d{9 - i}", "倒排 索引") for i in range(6)])
    assert not ix.snapshot.ids_in_docnum_order()
    return ix


def test_ties_break_by_id_rank(analyzer) -> None:
    ix = _tied_index(analyzer)
    for q in ("倒排", "倒排 索引", "倒排 OR 数据", '"倒排索引"'):
        res = _run(ix, q, 3, True)
        assert [h.doc_id for h in res.hits] == ["d4", "d5", "d6"], q
        assert _same(res, _run(ix, q, 3, False))


def test_negative_controls_a_kernel_that_ignores_id_ranks_or_miscounts_documents_is_caught(analyzer,
                                                                                            monkeypatch) -> None:
    ix = _tied_index(analyzer)
    real = kernel.conjunction
    monkeypatch.setattr(kernel, "conjunction", lambda *a: real(*a[:5], False, *a[6:]))  # ties by doc number
    assert not _same(_run(ix, "倒排", 3, True), _run(ix, "倒排", 3, False))
    monkeypatch.setattr(kernel, "conjunction", lambda *a: real(*a[:7], a[7] + 1, *a[8:]))  # N off by one: idf moves
    assert not _same(_run(ix, "倒排", 3, True), _run(ix, "倒排", 3, False))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shuffled_corpora(), st.sampled_from(["term", "and", "or", "phrase"]), st.lists(word, min_size=1, max_size=3))
def test_search_terms_kernel_equals_python(analyzer, docs: list[Doc], kind: str, words: list[str]) -> None:
    ix = Index(analyzer)
    ix.add_many(docs)
    terms = [t for w in words for t in analyzer.terms(w, mode="precise")] or ["倒排"]
    if kind == "term":
        terms = terms[:1]
    fast, slow = (_with(jit, lambda: ix.search_terms(kind, terms, 5)) for jit in (True, False))
    assert _same(fast, slow), (kind, terms)


@given(st.lists(st.integers(0, 60), max_size=40).map(sorted), st.integers(-5, 70), st.data())
def test_galloping_search_equals_bisect(xs: list[int], x: int, data) -> None:
    a = np.array(xs, dtype=np.int64)
    lo = data.draw(st.integers(0, len(xs)))
    hi = data.draw(st.integers(lo, len(xs)))
    assert kernel._first_at_least(a, lo, hi, x) == bisect.bisect_left(xs, x, lo, hi)


def test_top_list_keeps_the_best_in_order() -> None:
    """_offer against a full sort, random scores with many ties."""
    rng = random.Random(3)
    for _ in range(50):
        rows = [(rng.choice([1.0, 2.0, 2.5]), d, rng.randrange(100)) for d in range(rng.randrange(0, 30))]
        k = rng.randrange(0, 8)
        s, d, key = np.empty(k), np.empty(k, np.int64), np.empty(k, np.int64)
        n = 0
        for score, doc, rank in rows:
            if k:
                n = kernel._offer(score, doc, rank, s, d, key, n)
        want = sorted(rows, key=lambda r: (-r[0], r[2]))[:k]
        assert list(zip(s[:n].tolist(), key[:n].tolist(), strict=True)) == [(r[0], r[2]) for r in want]


def test_without_a_writable_cache_the_kernels_still_compile(monkeypatch) -> None:
    """numba refuses cache=True where it finds no writable location: _jit then compiles without a cache."""
    import numba

    real = numba.njit

    def njit(**kw):
        if kw.get("cache"):
            raise RuntimeError("cannot cache function 'f': no locator available for file 'f.py'")
        return real(**kw)

    monkeypatch.setattr(numba, "njit", njit)

    def add_one(x):
        return x + 1

    compiled = kernel._jit(add_one)
    assert compiled is not add_one and compiled(2) == 3


@pytest.mark.parametrize(("value", "enabled"), [("0", False), ("1", True)])
def test_the_environment_switch_turns_the_kernel_off(value: str, enabled: bool) -> None:
    """GLASSBOX_SEARCH_JIT=0 sends every search down the Python path (read when the module is imported)."""
    import os
    import subprocess
    import sys

    code = "from engine.search import kernel; print(kernel.ENABLED)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "GLASSBOX_SEARCH_JIT": value}).stdout.strip()
    assert out == str(enabled)
