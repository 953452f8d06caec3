"""Evaluate a parsed query against one snapshot: set algebra on roaring bitmaps, then BM25 and top-k.

Every step is timed and recorded in the trace (each term's posting size, each set operation and its
result size, the candidates scored, top-k), so a page can replay the search; a search can also run
without it. The hot path is written for CPython's costs: a query touches a few dozen candidates, where a
numpy call (a microsecond or more) costs more than a plain-Python loop, and where each Python object
read from a large index is likely a cache miss (numbers measured in `engine.search.bench`).
"""

from __future__ import annotations

import bisect
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from operator import itemgetter

import numpy as np
from pyroaring import BitMap

from engine.search.highlight import highlight
from engine.search.index import Doc, Index, Snapshot, keyword
from engine.search.query import And, Field, Node, Not, Or, Phrase, Prefix, QueryError, Word, describe, parse
from engine.search.scoring import Explanation, explain, idf, term_scores

MAX_PREFIX_TERMS = 2000
SMALL = 24  # up to this many candidates, plain-Python scoring beats numpy's per-call overhead (measured)


@dataclass(slots=True)
class TraceStep:
    """One step of a search: what ran, on what, the resulting set size and the time it took."""

    op: str
    label: str
    size: int
    ms: float
    detail: dict = field(default_factory=dict)


class Hit:
    """A ranked document with its score, the score's explanation tree and an HTML snippet.

    The document itself (`doc`, `doc_id`) is looked up when read, as tantivy's hits carry an address: a
    top 10 that only needs scores never touches the stored documents, each a cache miss on a large index."""

    __slots__ = ("_docs", "docnum", "explanation", "highlight", "score")

    def __init__(self, docnum: int, score: float, docs: Sequence[Doc | None], explanation: Explanation | None = None,
                 highlight: str = "") -> None:
        self.docnum, self.score, self._docs = docnum, score, docs
        self.explanation = explanation  # None when the search was asked not to explain
        self.highlight = highlight  # "" when the search was asked not to highlight

    @property
    def doc(self) -> Doc:
        """The stored document."""
        return self._docs[self.docnum]

    @property
    def doc_id(self) -> str:
        """The document's id."""
        return self._docs[self.docnum].id

    def __repr__(self) -> str:
        return f"Hit(doc_id={self.doc_id!r}, score={self.score!r})"


@dataclass
class SearchResult:
    """Top hits, how many documents matched, the trace of the search, and notes for the user."""

    hits: list[Hit]
    total: int
    trace: list[TraceStep]
    query: str = ""
    terms: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _words_of(node: Node) -> list[Word]:
    """Every bare Word of the tree (not those inside phrases, prefixes or fields)."""
    if isinstance(node, Word):
        return [node]
    if isinstance(node, (And, Or)):
        return [w for c in node.children for w in _words_of(c)]
    return _words_of(node.child) if isinstance(node, Not) else []


class _Evaluator:
    __slots__ = ("ix", "labels", "negations", "notes", "scoring", "snap", "tids", "trace", "word_terms")

    def __init__(self, ix: Index, snap: Snapshot, trace: list[TraceStep] | None, notes: list[str],
                 labels: dict[int, str] | None = None) -> None:
        self.ix, self.snap, self.trace, self.notes = ix, snap, trace, notes
        self.labels = labels if labels is not None else {}  # id(node) -> describe(node), filled by search
        self.tids: dict[str, int | None] = {}  # term -> its number in the only segment, as postings found it
        self.scoring: dict[str, int] = {}  # term -> live df, in query order (negated terms excluded)
        self.negations = 0
        self.word_terms: dict[int, list[str]] = {}  # Word.pos -> its terms, from one analyzer call

    def analyse_words(self, node: Node) -> None:
        """Analyse every bare word of the query in one jieba call: each call has a fixed cost of several
        microseconds, and words joined by spaces segment exactly as they would alone (a jieba block never
        spans a space)."""
        words = _words_of(node)
        if not words:
            return
        starts, at = [], 0
        for w in words:
            starts.append(at)
            at += len(w.text) + 1
        terms: list[list[str]] = [[] for _ in words]
        for tok in self.ix.analyzer.tokens(" ".join(w.text for w in words), mode="precise"):
            terms[bisect.bisect_right(starts, tok.start) - 1].append(tok.text)
        self.word_terms = {w.pos: t for w, t in zip(words, terms, strict=True)}

    def label(self, node: Node) -> str:
        """describe(node), read from the labels search collected while describing the whole query."""
        if self.trace is None:
            return ""  # no trace, no labels to show
        return self.labels.get(id(node)) or describe(node)

    def step(self, op: str, label: str, t0: float, bm: BitMap, **detail) -> BitMap:
        if self.trace is not None:
            self.trace.append(TraceStep(op, label, len(bm), (time.perf_counter() - t0) * 1e3, detail))
        return bm

    def postings(self, term: str) -> BitMap:
        """Live docs holding `term`. May return a segment's own bitmap: callers never modify results in place."""
        t0 = time.perf_counter()
        segs = self.snap.segments
        if len(segs) == 1 and not self.snap.has_deletes:
            t = self.tids[term] = segs[0].term_ids.get(term)
            out = segs[0].bitmaps[t] if t is not None else BitMap()
        else:
            out = BitMap()
            for seg, tomb in zip(segs, self.snap.tombstones, strict=True):
                t = seg.term_id(term)
                if t is not None:
                    out |= seg.bitmaps[t] - tomb if tomb else seg.bitmaps[t]
        if self.negations % 2 == 0 and term not in self.scoring:
            self.scoring[term] = len(out)
        return self.step("term", term, t0, out)

    def eval(self, node: Node) -> BitMap | None:
        match node:
            case Word(text=text, pos=pos):
                terms = self.word_terms[pos]  # analysed up front, all words at once (analyse_words)
                if not terms:
                    self.notes.append(f"“{text}” has no searchable term (a stopword or punctuation): ignored")
                    return None
                sets = [self.postings(t) for t in terms]
                if len(sets) == 1:
                    return sets[0]
                t0 = time.perf_counter()
                return self.step("and", f"{text} → {' AND '.join(terms)}", t0, BitMap.intersection(*sets))
            case Phrase(text=text):
                return self.phrase(text)
            case Prefix(text=text):
                return self.prefix(text)
            case Field(name=name, value=value, pos=pos):
                known = {n for n, _ in self.snap.keywords}
                if name not in known:
                    raise QueryError(f"unknown field {name!r}; fields here: {', '.join(sorted(known)) or 'none'}",
                                     pos)
                t0 = time.perf_counter()
                return self.step("field", f"{name}:{value}", t0, BitMap(self.snap.keywords.get((name, keyword(value)),
                                                                                               ())))
            case Not(child=child):
                self.negations += 1
                inner = self.eval(child)
                self.negations -= 1
                t0 = time.perf_counter()
                if inner is None:
                    return None
                return self.step("not", f"NOT {self.label(child)}", t0, BitMap(self.snap.live) - inner)
            case And(children=children):
                sets = [s for s in (self.eval(c) for c in children) if s is not None]
                if not sets:
                    return None
                t0 = time.perf_counter()
                sets.sort(key=len)  # intersect smallest first
                return self.step("and", self.label(node), t0, BitMap.intersection(*sets) if len(sets) > 1 else sets[0])
            case Or(children=children):
                sets = [s for s in (self.eval(c) for c in children) if s is not None]
                if not sets:
                    return None
                t0 = time.perf_counter()
                return self.step("or", self.label(node), t0, BitMap.union(*sets))
        raise TypeError(node)

    def prefix(self, text: str) -> BitMap:
        stem = unicodedata.normalize("NFKC", text).lower()
        t0 = time.perf_counter()
        out, n_terms = BitMap(), 0
        for seg, tomb in zip(self.snap.segments, self.snap.tombstones, strict=True):
            r = seg.prefix_range(stem)
            n_terms += len(r)
            if n_terms > MAX_PREFIX_TERMS:
                raise QueryError(f"{text}* expands to more than {MAX_PREFIX_TERMS} terms: use a longer prefix", 0)
            for t in r:
                out |= seg.bitmaps[t]
            out -= tomb
        return self.step("prefix", f"{text}*", t0, out, expanded_terms=n_terms)

    def phrase(self, text: str) -> BitMap | None:
        toks = self.ix.analyzer.tokens(text, mode="precise")
        if not toks:
            self.notes.append(f"the phrase “{text}” has no searchable term: ignored")
            return None
        return self.phrase_terms([(t.text, t.pos - toks[0].pos) for t in toks], f'"{text}"')

    def phrase_terms(self, rel: list[tuple[str, int]], label: str) -> BitMap:
        """Documents holding every term at its offset from the first (offsets in word characters)."""
        sets = [self.postings(term) for term, _ in rel]
        if len(rel) == 1:
            return sets[0]
        t0 = time.perf_counter()
        # the documents holding every term: for the trace, which shows how many the positions had to check
        cand = BitMap.intersection(*sets) if self.trace is not None else None
        segs = self.snap.segments
        if cand is not None and not cand:
            out = cand
        elif len(segs) == 1 and not self.snap.has_deletes:  # every doc is live; postings found the term ids
            ids = [(self.tids[t], off) for t, off in rel]
            out = BitMap() if any(t is None for t, _ in ids) else segs[0].phrase_docs(ids, None)
        else:
            out = BitMap()
            for seg in segs:
                ids = [seg.term_ids.get(term) for term, _ in rel]
                if None not in ids:
                    out |= seg.phrase_docs([(t, off) for t, (_, off) in zip(ids, rel, strict=True)], self.snap.live)
        return self.step("phrase", label, t0, out, candidates=len(cand) if cand is not None else None)


def _score(ix: Index, snap: Snapshot, matched: BitMap, cand: np.ndarray, scoring: dict[str, int],
           n_live: int) -> tuple[dict, np.ndarray]:
    """The tf array of each term and the BM25 scores (float64, aligned with `cand`), summed over the terms
    in query order, left to right, as the explanation shows them."""
    norm = ix.length_norms(snap)[cand]
    tfs, total = {}, None
    for term, df in scoring.items():
        tf = np.zeros(len(cand), dtype=np.uint32)
        for seg in snap.segments:
            t = seg.term_ids.get(term)
            if t is None:
                continue
            lo, hi, bm = seg.post_off.item(t), seg.post_off.item(t + 1), seg.bitmaps[t]
            docs, seg_tf = seg.post_docs[lo:hi], seg.tf[lo:hi]
            if len(snap.segments) == 1 and matched.issubset(bm):
                # every candidate holds the term (a term, AND or phrase query): positions need no checking
                tf = seg_tf if hi - lo == len(cand) else seg_tf.take(docs.searchsorted(cand))
                break
            if bm.issubset(matched):  # every document of the term is a candidate (each side of an OR)
                tf[cand.searchsorted(docs)] = seg_tf
                continue
            idx = np.searchsorted(docs, cand)
            idx[idx == len(docs)] = 0
            hit = docs[idx] == cand
            tf[hit] = seg_tf[idx[hit]]
        tfs[term] = tf
        c = term_scores(tf, norm, idf(n_live, df), ix.k1)
        total = c if total is None else total + c
    return tfs, np.zeros(len(cand)) if total is None else total


def search(ix: Index, query: str, k: int = 10, explain_hits: bool = True, highlight_hits: bool = True,
           trace_steps: bool = True) -> SearchResult:
    """Parse, evaluate, score and rank `query` on the index's current snapshot.

    `explain_hits` / `highlight_hits` / `trace_steps` off give the lean top-k (ids and scores, an empty
    trace) that benchmarks compare: like a profile flag, recording the steps has a cost of its own.
    """
    snap = ix.snapshot
    trace: list[TraceStep] | None = [] if trace_steps else None
    notes: list[str] = []
    t0 = time.perf_counter()
    node = parse(query)
    labels: dict[int, str] | None = {} if trace_steps else None
    described = describe(node, labels)
    if trace is not None:
        trace.append(TraceStep("parse", described, 0, (time.perf_counter() - t0) * 1e3))
    ev = _Evaluator(ix, snap, trace, notes, labels)
    ev.analyse_words(node)
    matched = ev.eval(node)
    if matched is None:
        return SearchResult([], 0, trace or [], described, [], notes or ["nothing to search for"])
    return _rank(ix, snap, ev, matched, k, explain_hits, highlight_hits, described)


def search_terms(ix: Index, kind: str, terms: list[str], k: int = 10) -> SearchResult:
    """Search pre-analysed terms ("term", "and", "or", or "phrase" of adjacent terms): no parsing, no jieba."""
    snap = ix.snapshot
    ev = _Evaluator(ix, snap, None, [])
    if kind == "phrase":
        offsets = list(accumulate((len(t) for t in terms[:-1]), initial=0))
        matched = ev.phrase_terms(list(zip(terms, offsets, strict=True)), " ".join(terms))
    else:
        sets = [ev.postings(t) for t in terms]
        matched = BitMap.union(*sets) if kind == "or" else BitMap.intersection(*sets) if len(sets) > 1 else sets[0]
    return _rank(ix, snap, ev, matched, k, False, False, f"{kind}({', '.join(terms)})")


def _tf_small(seg, t: int, cand: list[int], matched: BitMap) -> list[int]:
    """Term t's frequency in each candidate of one segment (0 where absent), with as few calls as the case
    allows: postings no longer than a few times the candidates are read whole (a one-term query, each side
    of an OR, most ANDs); else a rank per candidate where every candidate holds the term, or a membership
    test first. Reading a posting whole costs tens of nanoseconds per entry, a rank a few hundred."""
    bm, base = seg.bitmaps[t], seg.post_off.item(t)
    n = len(bm)
    if n <= 4 * len(cand):
        tf = seg.tf[base:base + n].tolist()
        if n == len(cand) and matched.issubset(bm):
            return tf
        of = dict(zip(seg.post_docs[base:base + n].tolist(), tf, strict=True))
        return [of.get(d, 0) for d in cand]
    if matched.issubset(bm):
        tf = seg.tf
        return [tf.item(base + bm.rank(d) - 1) for d in cand]
    return [seg.tf_in(t, d) for d in cand]


def _score_small(ix: Index, snap: Snapshot, matched: BitMap, cand: list[int], scoring: dict[str, int], n_live: int,
                 tids: dict[str, int] | None = None) -> tuple[dict, list[float]]:
    """_score for a few candidates in plain Python (same float64 operations in the same order, so the
    same bits): numpy's per-call overhead dominates below a few dozen documents. `tids`: term numbers the
    evaluation already looked up in a single segment (a lookup in a large dictionary misses the cache)."""
    norms = ix.length_norms(snap)
    norm = [norms.item(d) for d in cand]
    k1p = ix.k1 + 1.0
    segs = snap.segments
    tfs = {}
    total: list[float] | None = None
    for term, df in scoring.items():
        if len(segs) == 1:
            t = tids.get(term) if tids and term in tids else segs[0].term_ids.get(term)
            tf = [0] * len(cand) if t is None else _tf_small(segs[0], t, cand, matched)
        else:  # a doc lives in one segment: fill in what each segment holds
            tf = [0] * len(cand)
            for seg in segs:
                t = seg.term_ids.get(term)
                if t is not None:
                    for i, d in enumerate(cand):
                        if not tf[i]:
                            tf[i] = seg.tf_in(t, d)
        w = idf(n_live, df) * k1p
        tfs[term] = tf
        if total is None:
            total = [w * f / (f + x) for f, x in zip(tf, norm, strict=True)]
        else:
            total = [a + w * f / (f + x) for a, f, x in zip(total, tf, norm, strict=True)]
    return tfs, total or [0.0] * len(cand)


def _top(pool: list[tuple[float, int, int]], k: int, ranks: np.ndarray) -> list[tuple[float, int, int]]:
    """The k best (score, docnum, index) rows, ties broken by doc id (`ranks`: Index.id_ranks). Ties are
    common (short documents of one length); only rows of a tied score that reaches the top k are ordered."""
    pool.sort(key=itemgetter(0), reverse=True)
    out: list[tuple[float, int, int]] = []
    i, n = 0, len(pool)
    while len(out) < k and i < n:
        j = i + 1
        while j < n and pool[j][0] == pool[i][0]:
            j += 1
        if j - i == 1:
            out.append(pool[i])
        else:
            out.extend(sorted(pool[i:j], key=lambda r: ranks.item(r[1]))[:k - len(out)])
        i = j
    return out


def _dressed(ix: Index, snap: Snapshot, ranked: list[tuple[float, int, int]], scoring: dict[str, int], tfs: dict,
             explain_hits: bool, highlight_hits: bool) -> list[Hit]:
    """Hits with their explanation trees and highlighted snippets."""
    n_live, docs, terms, hits = snap.n_live, ix._docs, set(scoring), []
    if explain_hits:
        idfs = {t: idf(n_live, df) for t, df in scoring.items()}
        norms, avgdl = ix.length_norms(snap), snap.avgdl
    for score, num, i in ranked:
        d = docs[num]
        expl = None
        if explain_hits:
            dl, norm = int(ix.dl(np.array([num]))[0]), norms.item(num)
            # each term's weight by the scorers' own float64 expression, so the details add up to the score bit
            # for bit (both scorers sum them in query order)
            details = [explain(t, idfs[t] * (ix.k1 + 1.0) * tf / (tf + norm), tf, dl, idfs[t], df, n_live, avgdl,
                               ix.k1, ix.b)
                       for t, df in scoring.items() if (tf := int(tfs[t][i])) > 0]
            expl = Explanation(score, "score = Σ BM25 weight of each matched query term", details)
        snippet = highlight(d.text, ix.analyzer.tokens(d.text), terms) if highlight_hits else ""
        hits.append(Hit(num, score, docs, expl, snippet))
    return hits


def _rank(ix: Index, snap: Snapshot, ev: _Evaluator, matched: BitMap, k: int, explain_hits: bool,
          highlight_hits: bool, described: str) -> SearchResult:
    """BM25 over the matched live documents, then the top k (ties by doc id), explained and highlighted."""
    n_live, trace = snap.n_live, ev.trace
    t0 = time.perf_counter()
    if snap.has_deletes and not matched.issubset(snap.live):
        matched = matched & snap.live  # never in place: `matched` may be a segment's own bitmap
    scoring = {t: df for t, df in ev.scoring.items() if df > 0}
    k = max(0, int(k))
    docs, ranks = ix._docs, ix.id_ranks()
    small = len(matched) <= SMALL
    if small:
        cand = list(matched)
        tfs, scores = _score_small(ix, snap, matched, cand, scoring, n_live, ev.tids)
    else:
        cand = np.asarray(matched.to_array(), dtype=np.int64)
        tfs, total = _score(ix, snap, matched, cand, scoring, n_live)
    if trace is not None:
        trace.append(TraceStep("score", f"BM25 over {len(scoring)} term(s)", len(cand),
                               (time.perf_counter() - t0) * 1e3))
    t0 = time.perf_counter()
    if small:  # a few dozen candidates at most: sort them all
        pool = list(zip(scores, cand, range(len(cand)), strict=True))
    else:
        if len(cand) > k > 0:
            kth = np.partition(total, len(total) - k)[len(total) - k]
            keep = np.flatnonzero(total >= kth)  # everything tied with the k-th too, so ties break by id
        else:
            keep = np.arange(len(cand)) if k > 0 else np.arange(0)
        if len(keep) > 2 * k:  # a big tie at the k-th score (short documents of one length): rank ids in numpy
            keep = keep[np.lexsort((ranks[cand[keep]], -total[keep]))[:k]]
        pool = list(zip(total[keep].tolist(), cand[keep].tolist(), keep.tolist(), strict=True))
    ranked = _top(pool, k, ranks)  # (score, docnum, candidate index)
    if explain_hits or highlight_hits:
        hits = _dressed(ix, snap, ranked, scoring, tfs, explain_hits, highlight_hits)
    else:
        hits = [Hit(num, score, docs) for score, num, _ in ranked]
    if trace is not None:
        trace.append(TraceStep("top-k", f"top {k}", len(hits), (time.perf_counter() - t0) * 1e3))
    return SearchResult(hits, len(cand), trace or [], described, list(scoring), ev.notes)
