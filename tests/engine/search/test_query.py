"""The query parser: only QueryError escapes, the plain-query fast path builds the general parser's tree."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.search import Doc, Index, QueryError, query
from engine.search.query import Word


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
