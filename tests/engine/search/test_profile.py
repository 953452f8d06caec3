"""The bench's time breakdown: frames are charged to the right phase, and the shares of a real search add up."""

from __future__ import annotations

from engine.search import Analyzer, Doc, Index
from engine.search.profile import PHASES, _cprofile, breakdown, phase_of


def test_frames_are_charged_to_their_phase():
    assert phase_of("/x/engine/search/query.py", "_parse_plain") == "parse"
    assert phase_of("/x/site-packages/jieba/__init__.py", "cut") == "analyse"
    assert phase_of("/x/engine/search/searcher.py", "postings") == "postings"
    assert phase_of("/x/engine/search/searcher.py", "plain_words") == "postings"
    assert phase_of("/x/engine/search/ranking.py", "_score_small") == "scoring"
    assert phase_of("/x/engine/search/ranking.py", "_top") == "top-k"
    assert phase_of("/x/engine/search/searcher.py", "search") == "other"
    assert phase_of("/x/engine/search/kernel.py", "run") == "compiled"
    assert phase_of("/x/numpy/core/fromnumeric.py", "partition") is None  # inherits its caller's


def test_breakdown_of_a_real_search():
    ix = Index(Analyzer("precise"))
    ix.add_many([Doc(f"d{i}", f"倒排 索引 文档 {i}" * (1 + i % 3)) for i in range(60)])
    queries = ["倒排", "倒排 索引", "倒排 OR 文档", '"倒排索引"']
    out = breakdown(lambda q: ix.search(q, 5, explain=False, highlight=False, trace=False), queries, rounds=3)
    assert set(out["share"]) == set(PHASES) and abs(sum(out["share"].values()) - 1) < 0.01
    assert out["wall_us"] > 0 and abs(sum(out["us"].values()) - out["wall_us"]) < 0.05 * out["wall_us"] + 0.1
    # cProfile, the fallback, charges the same phases: analysis and ranking both show up
    times = _cprofile(lambda: [ix.search(q, 5, explain=False, highlight=False, trace=False) for q in queries * 20])
    assert times["analyse"] > 0 and times["top-k"] + times["scoring"] + times["compiled"] > 0
