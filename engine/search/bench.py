"""`python -m engine.search.bench`: this engine, tantivy and SQLite FTS5 on the same corpus, in one run.

All three index the same jieba tokens (tantivy with its whitespace tokenizer, FTS5 with unicode61
over space-joined tokens). Queries (≥ 200 per kind) are drawn from the corpus; each is timed from
the raw query string, with the jieba analysis of the query inside the timed region for every engine
(the peers then parse the tokens written in their own query language: tantivy's `parse_query`, FTS5's
MATCH), and separately from pre-analysed terms (tantivy's query objects, no parsing). Engines are
interleaved query by query, taking turns at going first (the first to run a query meets cold caches),
after an untimed warm-up on 50 other queries of each kind; the whole query set runs `--repeats` times (5),
and each median comes with the fastest and slowest repeat's median. Also reported:
`and_agreement` (AND queries whose full result sets are equal in all three), `bm25_exact`
(top-10 lists whose scores equal the BM25 formula, recomputed from the raw token lists, to 1e-6), `breakdown`
(per kind, microseconds per query in parse, analyse, postings, scoring, top-k and other, measured by a
sampling profiler: engine.search.profile) and `pruning` (documents scored and skipped by top-k pruning).
Peers are bench-only dependencies (requirements-bench.txt): engine.search.peers; the memory per session:
engine.search.sessions.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from engine import recorded
from engine.search.analyzer import Analyzer
from engine.search.corpus import benchmark_corpus, demo_corpus
from engine.search.index import Index
from engine.search.inspect import RACE_SIZES, race
from engine.search.peers import KINDS, Fts5, Tantivy, analyse_raw, draw_queries, raw
from engine.search.profile import breakdown
from engine.search.pruning import BLOCK
from engine.search.ranking import PRUNE_FROM
from engine.search.sessions import session_cost
from engine.search.store import index_bytes

# the peers, the query sets and the memory per session live beside the bench; their names stay importable here
__all__ = ["KINDS", "Fts5", "Tantivy", "analyse_raw", "draw_queries", "main", "peer_rows", "pruning_counts", "raw",
           "session_cost"]


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _pct(xs: list[float]) -> dict[str, float]:
    return {f"p{p}_ms": round(float(np.percentile(xs, p)) * 1e3, 4) for p in (50, 95)}


def pruning_counts(ours: Index, qs: dict[str, list[list[str]]], k: int = 10) -> dict:
    """Top-k pruning on the term and OR queries: documents matched, scored and skipped, summed over the query
    set, as the engine runs them (`default`: pruning from PRUNE_FROM matches on) and pruning every query
    (`always`), with the median time per query of each and of scoring every match (`never`)."""
    out: dict = {"prune_from": PRUNE_FROM, "block": BLOCK}
    for kind in ("term", "or"):
        row = {}
        for name, frm in (("default", PRUNE_FROM), ("always", 0), ("never", 10**9)):
            times, matched, scored = [], 0, 0
            for terms in qs[kind]:
                t = time.perf_counter()
                res = ours.search_terms(kind, terms, k, prune_from=frm)
                times.append(time.perf_counter() - t)
                matched += res.total
                scored += res.scored
            row[name] = {"matched": matched, "scored": scored, "skipped": matched - scored,
                         "p50_ms": round(float(np.median(times)) * 1e3, 4)}
        out[kind] = row
    return out


def main(argv: list[str] | None = None) -> None:
    """Build all three indexes of the benchmark corpus, time the queries, print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=5, help="times the whole query set is run (for the range)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N documents (0: all)")
    ap.add_argument("--sessions", type=int, default=5, help="sessions for the memory-per-session figure (0: skip)")
    ap.add_argument("--record", action="store_true", help="also ship the per-kind figures for the search page")
    ap.add_argument("--profile-rounds", type=int, default=5,
                    help="times each kind's queries run under the profiler for the time breakdown (0: skip)")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    docs = benchmark_corpus(lambda msg: print(f"[bench] {msg}", file=sys.stderr, flush=True))
    if args.limit:
        docs = docs[:args.limit]
    an = Analyzer("search")
    an.tokens("预热")  # load jieba's dictionary outside the timings
    report: dict = {"documents": len(docs), "characters": sum(len(d.text) for d in docs)}

    t = time.perf_counter()
    tokens = [[(tok.text, tok.pos) for tok in an.tokens(d.text)] for d in docs]
    report["tokenize_s"] = round(time.perf_counter() - t, 3)
    token_lists = [[t for t, _ in toks] for toks in tokens]
    df = Counter(t for toks in token_lists for t in set(toks))

    work = Path(tempfile.mkdtemp(prefix="glassbox-bench-"))
    ours = Index(an)
    t = time.perf_counter()
    ours.add_many(docs, tokens=tokens)
    build = time.perf_counter() - t
    ours.save(work / "ours")
    fresh = Analyzer("search")
    fresh.tokens("预热")  # loaded outside the timing, as for tokenize_s (workers load their own inside it)
    t = time.perf_counter()
    Index(fresh).add_many(docs)
    total1 = time.perf_counter() - t
    t = time.perf_counter()
    Index(fresh).add_many(docs, workers=2)
    total2 = time.perf_counter() - t
    sizes = index_bytes(work / "ours")
    report["glassbox"] = {"build_s": round(build, 3), "total_build_s": round(total1, 3),
                          "total_build_workers2_s": round(total2, 3), "index_bytes": sizes["index"],
                          "store_bytes": sizes["store"]}
    (work / "tantivy").mkdir()
    peers = {"tantivy": Tantivy(work / "tantivy"), "fts5": Fts5(work / "fts5.db")}
    for name, peer in peers.items():
        t = time.perf_counter()
        peer.build(token_lists)
        b = time.perf_counter() - t
        nbytes = _dir_bytes(work / "tantivy") if name == "tantivy" else os.path.getsize(work / "fts5.db")
        report[name] = {"build_s": round(b, 3), "total_build_s": round(b + report["tokenize_s"], 3),
                        "index_bytes": nbytes}

    qs = draw_queries(tokens, df, args.queries, seed=0)
    engines = ["glassbox", *peers]

    def run(name: str, kind: str, terms: list[str], q: str) -> tuple[float, float]:
        """One query on one engine: seconds from the raw string, then from pre-analysed terms."""
        t = time.perf_counter()
        if name == "glassbox":  # parses and analyses the raw string itself
            ours.search(q, 10, explain=False, highlight=False, trace=False)
        else:  # the tokens in the peer's own query syntax, which the peer parses
            peers[name].top10_raw(kind, analyse_raw(an, kind, q))
        raw_s = time.perf_counter() - t
        t = time.perf_counter()
        if name == "glassbox":
            ours.search_terms(kind, terms, 10)
        else:
            peers[name].top10(kind, terms)
        return raw_s, time.perf_counter() - t

    # an untimed warm-up on other queries: a fresh process's first thousand searches run slower (page
    # faults, allocator and interpreter caches), which would otherwise land on whichever kind runs first
    for kind, warm_qs in draw_queries(tokens, df, 50, seed=1).items():
        for terms in warm_qs:
            for name in engines:
                run(name, kind, terms, raw(kind, terms))
    # the whole query set runs `repeats` times (every kind in each repeat), so a burst of load lands on one repeat,
    # and the page shows each median with the fastest and slowest repeat's median beside it
    from_raw = {(e, k): [] for e in engines for k in KINDS}
    from_terms = {(e, k): [] for e in engines for k in KINDS}
    medians = {(e, k): [] for e in engines for k in KINDS}
    for rep in range(args.repeats):
        for kind in KINDS:
            this: dict[str, list[float]] = {e: [] for e in engines}
            for n, terms in enumerate(qs[kind]):
                q = raw(kind, terms)
                # whoever runs a query first meets cold caches (jieba's dictionary, the postings): take turns
                turn = (n + rep) % len(engines)
                for name in engines[turn:] + engines[:turn]:
                    raw_s, terms_s = run(name, kind, terms, q)
                    this[name].append(raw_s)
                    from_terms[name, kind].append(terms_s)
            for name in engines:
                from_raw[name, kind] += this[name]
                medians[name, kind].append(float(np.median(this[name])))
    for kind in KINDS:
        for name in engines:
            report[name][kind] = {**_pct(from_raw[name, kind]), "from_terms": _pct(from_terms[name, kind]),
                                  "p50_per_repeat_ms": [round(m * 1e3, 4) for m in medians[name, kind]]}
        ratios = report.setdefault("ratio_glassbox_over_tantivy", {})
        for stat in ("p50_ms", "p95_ms"):
            ratios[f"{kind}_{stat}"] = round(report["glassbox"][kind][stat] / report["tantivy"][kind][stat], 2)
        ratios[f"{kind}_p50_per_repeat"] = [round(g / t, 2) for g, t in zip(
            medians["glassbox", kind], medians["tantivy", kind], strict=True)]
    report["repeats"] = args.repeats
    # where the time goes, per kind, by a sampling profiler (engine.search.profile), after the timed runs
    lean = lambda q: ours.search(q, 10, explain=False, highlight=False, trace=False)  # noqa: E731
    if args.profile_rounds:
        report["breakdown"] = {kind: breakdown(lean, [raw(kind, t) for t in qs[kind]], args.profile_rounds)
                               for kind in KINDS}
    report["pruning"] = pruning_counts(ours, qs)

    agree = 0
    for terms in qs["and"]:
        ours_ids = {h.docnum for h in ours.search_terms("and", terms, 100_000).hits}
        agree += ours_ids == peers["tantivy"].all_ids("and", terms) == peers["fts5"].all_ids("and", terms)
    report["and_agreement"] = agree / len(qs["and"])

    n_docs = len(docs)
    avgdl = sum(len(t) for t in token_lists) / n_docs
    exact = checked = 0
    for kind in ("term", "and", "or"):
        for terms in qs[kind][:100]:
            res = ours.search_terms(kind, terms, 10)
            ok = True
            for h in res.hits:
                counts = Counter(token_lists[h.docnum])
                dl = len(token_lists[h.docnum])
                want = sum(math.log(1 + (n_docs - df[t] + 0.5) / (df[t] + 0.5)) * counts[t] * 2.2
                           / (counts[t] + 1.2 * (0.25 + 0.75 * dl / avgdl)) for t in dict.fromkeys(terms) if counts[t])
                ok &= abs(h.score - want) <= 1e-6 * max(1.0, abs(want))
            exact += ok
            checked += 1
    report["bm25_exact"] = exact / checked
    if args.sessions:
        report["sessions"] = session_cost(docs, tokens, an, args.sessions)
    if args.record:
        recorded.save("search", "peers", peer_rows(report),
                      {"documents": len(docs), "queries": args.queries, "repeats": args.repeats},
                      time.perf_counter() - started)
        t = time.perf_counter()
        rows = race(demo_corpus(), an, RACE_SIZES)
        recorded.save("search", "race-search", rows, {"sizes": RACE_SIZES}, time.perf_counter() - t)
        report["race"] = rows
    shutil.rmtree(work, ignore_errors=True)  # the three indexes (about 47 MB)
    print(json.dumps(report, indent=1, ensure_ascii=False))


def peer_rows(report: dict) -> list[dict]:
    """Per query kind: each engine's median and 95th-percentile milliseconds from the raw query string (over every
    query of every repeat), the fastest and slowest repeat's median, and ours over tantivy's, with its range over
    the repeats (what the search page shows beside its own race)."""
    engines = ("glassbox", "tantivy", "fts5")
    rows = []
    for kind in KINDS:
        row: dict = {"kind": kind}
        for e in engines:
            per = report[e][kind]["p50_per_repeat_ms"]
            row |= {f"{e}_p50_ms": report[e][kind]["p50_ms"], f"{e}_p95_ms": report[e][kind]["p95_ms"],
                    f"{e}_p50_lo_ms": min(per), f"{e}_p50_hi_ms": max(per)}
        ratios = report["ratio_glassbox_over_tantivy"]
        rows.append(row | {"glassbox_over_tantivy_p50": ratios[f"{kind}_p50_ms"],
                           "glassbox_over_tantivy_p50_lo": min(ratios[f"{kind}_p50_per_repeat"]),
                           "glassbox_over_tantivy_p50_hi": max(ratios[f"{kind}_p50_per_repeat"]),
                           "repeats": report["repeats"]})
    return rows

if __name__ == "__main__":
    main()
