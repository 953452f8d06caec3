"""The search bench's memory per browser session: a session building its own index of a corpus against one
starting a copy-on-write writer on the shared snapshot (bench-only, like engine.search.bench)."""

from __future__ import annotations

import gc
import time
import tracemalloc

import numpy as np

from engine.search.analyzer import Analyzer
from engine.search.index import Index
from engine.search.snapshot import Doc


def _roaring_bytes(snap, base) -> int:
    """Roaring bitmap bytes `snap` holds that `base` does not (pyroaring's C++ memory is invisible to
    tracemalloc, so it is counted from the bitmaps themselves)."""
    shared = {id(b) for seg in base.segments for b in seg.bitmaps}
    shared |= {id(base.live), *map(id, base.tombstones), *map(id, base.keywords.values())}
    mine = [b for seg in snap.segments for b in seg.bitmaps] + [snap.live, *snap.tombstones, *snap.keywords.values()]
    return sum(len(b.serialize()) for b in {id(b): b for b in mine if id(b) not in shared}.values())


def session_cost(docs: list, tokens: list, an: Analyzer, sessions: int = 5) -> dict:
    """Memory and first-search time of `sessions` more browser sessions on one corpus: each building its own
    index, as every session did before (`copy`), against each starting a copy-on-write writer on the shared
    snapshot (`fork`). Every session runs a query, adds a document of its own, and runs the query again.

    Memory is what a session allocates and keeps: Python objects and numpy arrays by tracemalloc, plus the
    roaring bitmaps it does not share with the base. (RSS cannot tell: a process reuses memory it freed.)
    Times are measured in a separate pass without tracemalloc, which slows allocation."""
    base = Index(an)
    base.add_many(docs, tokens=tokens)
    snap = base.snapshot
    q = "中国 经济"
    shared_total = Index.from_snapshot(snap).search(q, 10, explain=False, highlight=False, trace=False).total
    makers = {"fork": lambda: Index.from_snapshot(snap), "copy": lambda: _copy(an, docs, tokens)}

    def session(make, i: int) -> tuple[Index, float]:
        t = time.perf_counter()
        ix = make()
        ix.search(q, 10)
        first = time.perf_counter() - t
        ix.add(Doc(f"session-{i}", "会话 自己 的 文档 中国 经济"))
        if ix.search(q, 10).total != shared_total + 1:
            raise AssertionError("a session's own document is missing from its results")
        return ix, first

    out = {}
    for name, make in makers.items():
        first = [session(make, i)[1] for i in range(sessions)]
        gc.collect()
        tracemalloc.start()
        kept = [session(make, i)[0] for i in range(sessions)]
        gc.collect()
        python_bytes = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        roaring = sum(_roaring_bytes(ix.snapshot, snap) for ix in kept)
        out[name] = {"mib_per_session": round((python_bytes + roaring) / sessions / 2**20, 3),
                     "roaring_mib_per_session": round(roaring / sessions / 2**20, 3),
                     "first_search_ms": round(float(np.median(first)) * 1e3, 2)}
        del kept
        gc.collect()
    out["memory_ratio_copy_over_fork"] = round(out["copy"]["mib_per_session"] / out["fork"]["mib_per_session"], 1)
    out["sessions"] = sessions
    return out


def _copy(an: Analyzer, docs: list, tokens: list) -> Index:
    ix = Index(an)
    ix.add_many(docs, tokens=tokens)
    return ix
