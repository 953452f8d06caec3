"""A segment against brute force: postings, term frequencies, positions, phrase probes, prefix ranges, merges."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pyroaring import BitMap

from engine.search.segment import Segment

TERMS = ["a", "ab", "abc", "b", "倒排", "倒", "索引"]
docs_strategy = st.lists(st.lists(st.sampled_from(TERMS), max_size=10), min_size=1, max_size=8)


def _segment(docs: list[list[str]], first: int = 0) -> Segment:
    return Segment.build("s", [(first + i, [(t, p) for p, t in enumerate(d)]) for i, d in enumerate(docs)])


@settings(max_examples=200, deadline=None)
@given(docs_strategy)
def test_postings_tf_and_positions_equal_a_scan(docs: list[list[str]]) -> None:
    seg = _segment(docs, first=5)
    assert seg.terms == sorted({t for d in docs for t in d})
    for t, term in enumerate(seg.terms):
        holders = [i for i, d in enumerate(docs) if term in d]
        assert list(seg.bitmaps[t]) == [5 + i for i in holders] == seg.docs_of(t).tolist()
        assert seg.tf_of(t).tolist() == [docs[i].count(term) for i in holders]
        for j, i in enumerate(holders):
            assert seg.positions_of(t, j).tolist() == [p for p, x in enumerate(docs[i]) if x == term]
            assert seg.tf_in(t, 5 + i) == docs[i].count(term)
    if seg.terms:
        assert seg.tf_in(0, 10_000) == 0


@settings(max_examples=300, deadline=None)
@given(docs_strategy, st.lists(st.sampled_from(TERMS), min_size=2, max_size=3))
def test_phrase_probe_equals_a_scan(docs: list[list[str]], phrase: list[str]) -> None:
    seg = _segment(docs)
    want = BitMap(i for i, d in enumerate(docs)
                  if any(d[s:s + len(phrase)] == phrase for s in range(len(d) - len(phrase) + 1)))
    ids = [seg.term_id(t) for t in phrase]
    got = BitMap() if None in ids else seg.phrase_docs([(t, off) for off, t in enumerate(ids)], None)
    assert got == want
    if None not in ids:  # restricted to candidates, it keeps only those
        assert seg.phrase_docs([(t, off) for off, t in enumerate(ids)], BitMap([0])) == want & BitMap([0])


def test_prefix_range_is_the_terms_starting_with_it() -> None:
    seg = _segment([TERMS])
    for prefix in ("a", "ab", "倒", "x", ""):
        assert [seg.terms[t] for t in seg.prefix_range(prefix)] == [t for t in sorted(TERMS) if t.startswith(prefix)]


@settings(max_examples=100, deadline=None)
@given(docs_strategy, docs_strategy, st.sets(st.integers(0, 15)))
def test_merge_drops_dead_documents_and_keeps_the_rest(a: list[list[str]], b: list[list[str]], dead: set[int]) -> None:
    sa, sb = _segment(a), _segment(b, first=len(a))
    merged = sa.merged_with("m", [sb], BitMap(dead))
    live = {i: d for i, d in enumerate(a + b) if i not in dead and d}
    for t, term in enumerate(merged.terms):
        holders = [i for i, d in live.items() if term in d]
        assert list(merged.bitmaps[t]) == holders
        assert merged.tf_of(t).tolist() == [live[i].count(term) for i in holders]
    assert set(merged.terms) == {t for d in live.values() for t in d}
