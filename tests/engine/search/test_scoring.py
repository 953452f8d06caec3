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

def test_explanation_tree_sums_to_the_score(analyzer) -> None:
    ix = build(analyzer)
    hit = ix.search("索引 OR lucene").hits[0]
    e = hit.explanation
    assert e.value == hit.score == sum(d.value for d in e.details)
    for term in e.details:
        idf, tfnorm = term.details
        assert term.value == pytest.approx(idf.value * tfnorm.value, rel=1e-12)


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
