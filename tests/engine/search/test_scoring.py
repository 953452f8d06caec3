"""Explanations and highlights: the score tree sums to the score, user HTML is escaped."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.search import Doc, Index
from tests.engine.search.fixtures import build


def test_highlight_escapes_user_html(analyzer) -> None:
    ix = Index(analyzer)
    ix.add(Doc("x", '<script>alert("搜索")</script> & 搜索引擎 <b>bold</b>'))
    hl = ix.search("搜索").hits[0].highlight
    assert "<script>" not in hl and "<b>" not in hl
    assert "&lt;script&gt;" in hl and "&amp;" in hl and "<mark>搜索" in hl

def test_explanation_and_score_equal_bm25_computed_by_hand_from_counts(analyzer) -> None:
    """Every hit's score, and every factor of its explanation, against the BM25 formula evaluated from the raw
    token counts of the live documents (the deleted d2 counts nowhere: not in N, df or avgdl)."""
    import math
    from collections import Counter

    from tests.engine.search.fixtures import DOCS

    ix = build(analyzer)  # k1 = 1.5, b = 0.6; d2 deleted
    live = {d.id: Counter(analyzer.terms(d.text)) for d in (DOCS[0], DOCS[2])}
    lengths = {i: sum(c.values()) for i, c in live.items()}
    n, avgdl = len(live), sum(lengths.values()) / len(live)

    def by_hand(doc_id: str, terms: list[str], n_docs: int = n, mean: float = avgdl) -> float:
        total = 0.0
        for t in terms:
            tf, df = live[doc_id][t], sum(1 for c in live.values() if c[t])
            if tf:
                idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
                total += idf * tf * 2.5 / (tf + 1.5 * (1 - 0.6 + 0.6 * lengths[doc_id] / mean))
        return total

    hits = ix.search("索引 OR lucene").hits
    assert {h.doc_id for h in hits} == {"d1", "d3"}
    for hit in hits:
        want = by_hand(hit.doc_id, ["索引", "lucene"])
        assert hit.score == pytest.approx(want, rel=1e-12)
        assert hit.explanation.value == pytest.approx(want, rel=1e-12)
        # negative control: counting the deleted document as Lucene does until a merge gives another score
        assert hit.score != pytest.approx(by_hand(hit.doc_id, ["索引", "lucene"], n_docs=3), rel=1e-6)
        for term_expl in hit.explanation.details:
            term = term_expl.params["term"]
            idf, tfnorm = term_expl.details
            assert {d.code: d.value for d in idf.details} == {
                "expl.n_docs": n, "expl.df": sum(1 for c in live.values() if c[term])}
            parts = {d.code: d.value for d in tfnorm.details}
            assert parts == {"expl.tf": live[hit.doc_id][term], "expl.k1": 1.5, "expl.b": 0.6,
                             "expl.dl": lengths[hit.doc_id], "expl.avgdl": pytest.approx(avgdl, rel=1e-12)}
            assert term_expl.value == pytest.approx(by_hand(hit.doc_id, [term]), rel=1e-12)


def test_prefix_matches_are_highlighted_and_their_expansion_noted(analyzer) -> None:
    """A prefix does not score, but its hits show what it matched, and the result says what it expanded to."""
    ix = build(analyzer)
    res = ix.search("倒*")
    assert res.hits and all("<mark>倒排" in h.highlight for h in res.hits)
    assert all(h.score == 0.0 and not h.explanation.details for h in res.hits)
    note = next(n for n in res.notes if n.code == "search.prefix_expanded")
    assert note.params["prefix"] == "倒" and "倒排" in note.params["terms"] and note.params["n"] >= 1
    negated = ix.search("索引 -倒*")  # a negated prefix marks nothing
    assert all("<mark>倒排" not in h.highlight for h in negated.hits)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="搜索引擎ab !*_[]()<>&#`$:.\\/-|~'\"", min_size=1, max_size=60))
def test_highlight_is_inert_as_markdown_and_shows_the_text_as_typed(analyzer, text: str) -> None:
    """Whatever a document holds, its snippet has no character markdown reads as syntax (no image, link,
    emphasis or formula can form), and unescaping it gives back the text shown."""
    import html as _html

    from engine.search.highlight import highlight

    hl = highlight(text, analyzer.tokens(text), {"搜索"}, width=200)
    plain = hl.replace("<mark>", "").replace("</mark>", "")
    assert not set(plain) & set("\\`*_[]()!|~$<>\"'"), plain
    assert _html.unescape(plain) == text
