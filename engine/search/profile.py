"""Where a search's time goes, measured by a sampling profiler (pyinstrument when installed, else cProfile).

Each sampled Python frame is charged to the phase of its nearest enclosing function that names one:
parse (the query language), analyse (jieba and normalisation), postings (term look-ups, set algebra,
phrase positions), scoring (BM25 over candidates, block-max bounds), top-k (selecting and ordering the
best k, building hits), compiled (engine.search.kernel: matching, scoring and the top k of the lean search in
one compiled call, which a profiler of Python frames cannot split); the rest (the search entry point's own
bookkeeping) is "other". C calls (roaring, numpy, the compiled kernel) are charged to the Python function that
made them. Bench-only: the app never imports it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

PHASES = ("parse", "analyse", "postings", "scoring", "top-k", "compiled", "other")

# (file name ending, function name or "*") -> phase; the first match wins, so specific entries come first
_RULES: tuple[tuple[str, str, str], ...] = (
    ("search/query.py", "*", "parse"),
    ("search/analyzer.py", "*", "analyse"),
    ("jieba/__init__.py", "*", "analyse"),
    ("search/searcher.py", "analyse_words", "analyse"),
    ("search/searcher.py", "phrase", "analyse"),  # analyses the phrase, then calls phrase_terms (postings)
    ("search/searcher.py", "postings", "postings"),
    ("search/searcher.py", "eval", "postings"),
    ("search/searcher.py", "plain_words", "postings"),
    ("search/searcher.py", "phrase_terms", "postings"),
    ("search/searcher.py", "prefix", "postings"),
    ("search/searcher.py", "_match_terms", "postings"),
    ("search/snapshot.py", "term_postings", "postings"),
    ("search/segment.py", "phrase_docs", "postings"),
    ("search/ranking.py", "_score_small", "scoring"),
    ("search/ranking.py", "_score_numpy", "scoring"),
    ("search/ranking.py", "_tf_small", "scoring"),
    ("search/ranking.py", "_docs_of", "scoring"),
    ("search/ranking.py", "_pruned", "scoring"),
    ("search/pruning.py", "*", "scoring"),
    ("search/scoring.py", "*", "scoring"),
    ("search/ranking.py", "_top", "top-k"),
    ("search/ranking.py", "_select", "top-k"),
    ("search/ranking.py", "_dressed", "top-k"),
    ("search/ranking.py", "rank", "top-k"),
    ("search/results.py", "*", "top-k"),
    ("search/kernel.py", "*", "compiled"),
    ("search/lean.py", "top_terms", "postings"),  # term look-ups and the kernel's arrays; the call is compiled
    ("search/lean.py", "*", "other"),
    ("search/searcher.py", "*", "other"),
    ("search/index.py", "*", "other"),
)


def phase_of(file_path: str, function: str) -> str | None:
    """The phase a frame of `function` in `file_path` names, or None (it inherits its caller's)."""
    path = file_path.replace("\\", "/")
    for end, fn, phase in _RULES:
        if path.endswith(end) and fn in ("*", function):
            return phase
    return None


def _pyinstrument(work: Callable[[], None], interval: float) -> dict[str, float]:
    from pyinstrument import Profiler

    prof = Profiler(interval=interval)
    prof.start()
    work()
    prof.stop()
    out = dict.fromkeys(PHASES, 0.0)

    def walk(frame, inherited: str | None) -> None:
        phase = phase_of(frame.file_path or "", frame.function or "") or inherited
        own = frame.time - sum(c.time for c in frame.children)
        if phase is not None:
            out[phase] += max(own, 0.0)
        for c in frame.children:
            walk(c, phase)

    root = prof.last_session.root_frame()
    # frames above the search call (the work loop, the profiler) stay unattributed; below it, unknown ones are "other"
    walk(root, None)
    return out


def _cprofile(work: Callable[[], None]) -> dict[str, float]:
    """cProfile's exclusive times, charged by each function's own phase, else its callers' (first caller found)."""
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.runcall(work)
    stats = pstats.Stats(prof).stats  # (file, line, fn) -> (cc, nc, tt, ct, callers)
    out = dict.fromkeys(PHASES, 0.0)

    def phase(key, seen) -> str | None:
        p = phase_of(key[0], key[2])
        if p is not None or key in seen:
            return p
        seen.add(key)
        for caller in stats[key][4]:
            if caller in stats and (p := phase(caller, seen)) is not None:
                return p
        return None

    for key, (_, _, tt, _, _) in stats.items():
        p = phase(key, set())
        if p is not None:
            out[p] += tt
    return out


def breakdown(search: Callable[[str], object], queries: list[str], rounds: int = 10,
              interval: float = 0.0001) -> dict:
    """Each phase's share of `search` over `queries` (run `rounds` times under the profiler) and its microseconds
    per query: the share of `wall_us`, the median unprofiled time per query (a profiler slows Python code more than
    C code, so its own durations overstate; its shares are what it measures). `profiler` names the one used."""
    def work() -> None:
        for _ in range(rounds):
            for q in queries:
                search(q)

    walls = []
    for q in queries:
        t = time.perf_counter()
        search(q)
        walls.append(time.perf_counter() - t)
    wall = statistics.median(walls) if walls else 0.0
    try:
        times, used = _pyinstrument(work, interval), "pyinstrument"
    except ImportError:
        times, used = _cprofile(work), "cProfile"
    total = sum(times.values()) or 1.0
    return {"profiler": used, "wall_us": round(wall * 1e6, 1),
            "us": {p: round(times[p] / total * wall * 1e6, 2) for p in PHASES},
            "share": {p: round(times[p] / total, 3) for p in PHASES}}
