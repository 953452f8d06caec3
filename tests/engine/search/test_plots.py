"""The search page's trace figure: every step that makes a set has a visible, labelled bar."""

from __future__ import annotations

import math

from engine.search import Doc, Index
from engine.search.plots import trace_steps


def test_trace_bars_show_every_set_including_an_empty_one(analyzer) -> None:
    ix = Index(analyzer)
    ix.add_many([Doc("a", "倒排 索引"), Doc("b", "搜索 引擎"), Doc("c", "倒排 搜索")])
    res = ix.search("倒排 引擎")  # 2 docs AND 1 doc -> an empty intersection
    bar = trace_steps(res, upto=len(res.trace)).data[0]
    sizes = [s.size for s in res.trace]
    ops = [s.op for s in res.trace]
    assert ops[0] == "parse" and bar.y[0] is None and bar.text[0] == ""  # no set yet: a place, no bar
    lo, hi = trace_steps(res, 0).layout.yaxis.range
    for i in range(1, len(sizes)):
        assert bar.text[i] == f"{sizes[i]:,}"
        assert lo < math.log10(bar.y[i]) < hi, (ops[i], bar.y[i])  # drawn inside the axis, even for 0
    assert 0 in sizes[1:] and max(sizes) == 2
