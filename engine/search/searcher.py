"""Evaluate a parsed query against one snapshot: set algebra on roaring bitmaps, then BM25 and top-k
(`engine.search.ranking`).

Every step is timed and recorded in the trace (each term's posting size, each set operation and its
result size, the candidates scored, top-k), so a page can replay the search; a search can also run
without it. The hot path is written for CPython's costs: a query touches a few dozen candidates, where a
numpy call (a microsecond or more) costs more than a plain-Python loop, and where each Python object
read from a large index is likely a cache miss (numbers measured in `engine.search.bench`). Where numba is
installed, the lean top k (no trace, explanations or snippets) of a word, an AND of words, an OR of one-term
words or a phrase on one segment without deletes skips all of that: one compiled call (`engine.search.kernel`)
matches, scores and keeps the top k, with the same results to the bit (`engine.search.lean`).
"""

from __future__ import annotations

import time
import unicodedata
from itertools import accumulate

from pyroaring import BitMap

from engine.messages import Message
from engine.search import lean
from engine.search.pruning import BLOCK
from engine.search.query import And, Field, Node, Not, Or, Phrase, Prefix, QueryError, Word, describe, parse
from engine.search.ranking import DEFAULT_SMALL, PRUNE_FROM, rank
from engine.search.results import SearchResult, TraceStep
from engine.search.snapshot import Snapshot, keyword

MAX_PREFIX_TERMS = 2000


def _words_of(node: Node) -> list[Word]:
    """Every bare Word of the tree (not those inside phrases, prefixes or fields)."""
    if isinstance(node, Word):
        return [node]
    if isinstance(node, (And, Or)):
        out: list[Word] = []
        for c in node.children:  # a word child directly: no call for the commonest child
            if isinstance(c, Word):
                out.append(c)
            else:
                out += _words_of(c)
        return out
    return _words_of(node.child) if isinstance(node, Not) else []


def analyse_words(snap: Snapshot, node: Node) -> dict[int, list[str]]:
    """Analyse every bare word of the query in one jieba call: each call has a fixed cost of several
    microseconds, and words joined by spaces segment exactly as they would alone (a jieba block never
    spans a space). Returns each Word's terms by its position in the query."""
    if isinstance(node, Word):  # one word (the commonest query): no joining, no walking
        return {node.pos: [tok.text for tok in snap.analyzer.tokens(node.text, mode="precise")]}
    words = _words_of(node)
    if not words:
        return {}
    texts = [w.text for w in words]
    terms: list[list[str]] = [[] for _ in words]
    # tokens come in text order and never span the joining space: walk the words alongside them (word i
    # starts where i-1 ends plus one), the bisection of each token's start without a call per token
    i, nxt, cur = 0, len(texts[0]) + 1, terms[0]
    for tok in snap.analyzer.tokens(" ".join(texts), mode="precise"):
        if tok.start >= nxt:
            while tok.start >= nxt:
                i += 1
                nxt += len(texts[i]) + 1
            cur = terms[i]
        cur.append(tok.text)
    return {w.pos: t for w, t in zip(words, terms, strict=True)}


class _Evaluator:
    __slots__ = ("expanded", "labels", "negations", "notes", "scoring", "snap", "tids", "trace", "word_terms")

    def __init__(self, snap: Snapshot, trace: list[TraceStep] | None, notes: list[Message],
                 labels: dict[int, str] | None = None) -> None:
        self.snap, self.trace, self.notes = snap, trace, notes
        self.labels = labels if labels is not None else {}  # id(node) -> describe(node), filled by search
        self.tids: dict[str, int | None] = {}  # term -> its number in the only segment, as postings found it
        self.scoring: dict[str, int] = {}  # term -> live df, in query order (negated terms excluded)
        self.negations = 0
        self.word_terms: dict[int, list[str]] = {}  # Word.pos -> its terms, from one analyzer call
        self.expanded: set[str] = set()  # terms a prefix expanded to (not negated): highlighted, never scored

    def analyse_words(self, node: Node) -> None:
        """The module's analyse_words, kept for the evaluation to read (`word_terms`)."""
        self.word_terms = analyse_words(self.snap, node)

    def plain_words(self, node: Node) -> BitMap | None:
        """eval(node) for a word, an AND of words or an OR of words (what most people type) on a snapshot of one
        segment without deletes, with no trace: the same sets and the same scoring terms, tids and dfs, in the
        same order, without a dispatch and a call per word and per term (each costs a cache miss on a cold
        path). None, having changed nothing, for any other query or where a word has no term (eval notes it)."""
        snap = self.snap
        if self.trace is not None or not snap.single:
            return None
        is_or = type(node) is Or
        words = node.children if is_or or type(node) is And else (node,)
        word_terms = self.word_terms
        for w in words:
            if type(w) is not Word or not word_terms[w.pos]:
                return None
        seg = snap.segments[0]
        ids, bitmaps, tids, scoring = seg.term_ids, seg.bitmaps, self.tids, self.scoring
        groups = []
        for w in words:
            sets = []
            for term in word_terms[w.pos]:
                t = tids[term] = ids.get(term)
                bm = bitmaps[t] if t is not None else BitMap()
                if term not in scoring:
                    scoring[term] = len(bm)
                sets.append(bm)
            groups.append(sets[0] if len(sets) == 1 else BitMap.intersection(*sets))
        if len(groups) == 1:
            return groups[0]
        if is_or:
            return BitMap.union(*groups)
        groups.sort(key=len)  # intersection copies its first argument: the smallest
        return BitMap.intersection(*groups)

    def label(self, node: Node) -> str:
        """describe(node), read from the labels search collected while describing the whole query."""
        if self.trace is None:
            return ""  # no trace, no labels to show
        return self.labels.get(id(node)) or describe(node)

    def step(self, op: str, label: str, t0: float, bm: BitMap, **detail) -> BitMap:
        if self.trace is not None:
            self.trace.append(TraceStep(op, label, len(bm), (time.perf_counter() - t0) * 1e3, detail, bm))
        return bm

    def postings(self, term: str) -> BitMap:
        """Live docs holding `term`. May return a segment's own bitmap: callers never modify results in place."""
        t0 = time.perf_counter() if self.trace is not None else 0.0
        out, t = self.snap.term_postings(term)
        if self.snap.single:
            self.tids[term] = t
        if self.negations % 2 == 0 and term not in self.scoring:
            self.scoring[term] = len(out)
        return out if self.trace is None else self.step("term", term, t0, out)

    def eval(self, node: Node) -> BitMap | None:
        match node:
            case Word(text=text, pos=pos):
                terms = self.word_terms[pos]  # analysed up front, all words at once (analyse_words)
                if not terms:
                    self.notes.append(Message("search.no_term", text=text))
                    return None
                sets = [self.postings(t) for t in terms]
                if len(sets) == 1:
                    return sets[0]
                t0 = time.perf_counter() if self.trace is not None else 0.0
                out = BitMap.intersection(*sets)
                return out if self.trace is None else self.step("and", f"{text} → {' AND '.join(terms)}", t0, out)
            case Phrase(text=text):
                return self.phrase(text)
            case Prefix(text=text, pos=pos):
                return self.prefix(text, pos)
            case Field(name=name, value=value, pos=pos):
                kv = (name, keyword(value))
                if kv not in self.snap.keywords and name not in (known := self.snap.field_names()):
                    raise QueryError("search.unknown_field", pos, field=name, fields=", ".join(known) or "—")
                t0 = time.perf_counter()
                return self.step("field", f"{name}:{value}", t0, BitMap(self.snap.keywords.get(kv, ())))
            case Not(child=child):
                self.negations += 1
                inner = self.eval(child)
                self.negations -= 1
                t0 = time.perf_counter()
                if inner is None:
                    return None
                return self.step("not", f"NOT {self.label(child)}", t0, BitMap(self.snap.live) - inner)
            case And(children=children):
                sets = [s for c in children if (s := self.eval(c)) is not None]
                if not sets:
                    return None
                t0 = time.perf_counter() if self.trace is not None else 0.0
                sets.sort(key=len)  # intersect smallest first
                out = BitMap.intersection(*sets) if len(sets) > 1 else sets[0]
                return out if self.trace is None else self.step("and", self.label(node), t0, out)
            case Or(children=children):
                sets = [s for c in children if (s := self.eval(c)) is not None]
                if not sets:
                    return None
                t0 = time.perf_counter() if self.trace is not None else 0.0
                out = BitMap.union(*sets)
                return out if self.trace is None else self.step("or", self.label(node), t0, out)
        raise TypeError(node)

    def prefix(self, text: str, pos: int = 0) -> BitMap:
        stem = unicodedata.normalize("NFKC", text).lower()
        t0 = time.perf_counter()
        out, n_terms, names = BitMap(), 0, set()
        for seg, tomb in zip(self.snap.segments, self.snap.tombstones, strict=True):
            r = seg.prefix_range(stem)
            n_terms += len(r)
            if n_terms > MAX_PREFIX_TERMS:
                raise QueryError("search.prefix_too_many", pos, prefix=text, limit=MAX_PREFIX_TERMS)
            for t in r:
                out |= seg.bitmaps[t] - tomb if tomb else seg.bitmaps[t]
            names.update(seg.terms[r.start:r.stop])
        expanded = sorted(names)
        if self.negations % 2 == 0:
            self.expanded.update(expanded)
        shown = "、".join(expanded[:8]) + ("…" if len(expanded) > 8 else "")
        self.notes.append(Message("search.prefix_expanded", prefix=text, n=len(expanded), terms=shown or "—"))
        return self.step("prefix", f"{text}*", t0, out, expanded_terms=expanded)

    def phrase(self, text: str) -> BitMap | None:
        rel = self.snap.analyzer.layout(text, mode="precise")
        if not rel:
            self.notes.append(Message("search.phrase_no_term", text=text))
            return None
        return self.phrase_terms(rel, f'"{text}"')

    def phrase_terms(self, rel: list[tuple[str, int]], label: str) -> BitMap:
        """Documents holding every term at its offset from the first (offsets in word characters)."""
        sets = [self.postings(term) for term, _ in rel]
        if len(rel) == 1:
            return sets[0]
        t0 = time.perf_counter() if self.trace is not None else 0.0
        # the documents holding every term: for the trace, which shows how many the positions had to check
        cand = BitMap.intersection(*sets) if self.trace is not None else None
        segs = self.snap.segments
        if cand is not None and not cand:
            out = cand
        elif self.snap.single:  # every doc is live; postings found the term ids
            # a term of the dictionary has postings, so an empty one is a term it lacks: no phrase
            out = segs[0].phrase_docs([(self.tids[t], off) for t, off in rel], None) if all(sets) else BitMap()
        else:
            out = BitMap()
            for seg in segs:
                ids = [seg.term_ids.get(term) for term, _ in rel]
                if None not in ids:
                    out |= seg.phrase_docs([(t, off) for t, (_, off) in zip(ids, rel, strict=True)], self.snap.live)
        if self.trace is None:
            return out
        return self.step("phrase", label, t0, out, candidates=len(cand) if cand is not None else None)


def search(snap: Snapshot, query: str, k: int = 10, explain_hits: bool = True, highlight_hits: bool = True,
           trace_steps: bool = True, small: int = DEFAULT_SMALL, prune_from: int = PRUNE_FROM,
           block: int = BLOCK) -> SearchResult:
    """Parse, evaluate, score and rank `query` on the index's current snapshot.

    `explain_hits` / `highlight_hits` / `trace_steps` off give the lean top-k (ids and scores, an empty
    trace) that benchmarks compare: like a profile flag, recording the steps has a cost of its own. `small`:
    up to this many candidates, scoring runs in plain Python (see engine.search.ranking); `prune_from`, `block`:
    from that many matches on, a term or OR query skips the documents that cannot reach the top k
    (engine.search.pruning, blocks of `block` postings); the result counts those scored and skipped.
    """
    t0 = time.perf_counter() if trace_steps else 0.0
    node = parse(query)
    word_terms = None
    if not (trace_steps or explain_hits or highlight_hits) and lean.applies(snap, prune_from):
        word_terms = analyse_words(snap, node)
        if (got := lean.top_k(snap, node, word_terms, k)) is not None:
            return got
    trace: list[TraceStep] | None = [] if trace_steps else None
    notes: list[str] = []
    labels: dict[int, str] | None = None
    described: str | Node = node  # SearchResult describes it if asked
    if trace is not None:
        labels = {}
        described = describe(node, labels)
        trace.append(TraceStep("parse", described, 0, (time.perf_counter() - t0) * 1e3))
    ev = _Evaluator(snap, trace, notes, labels)
    if word_terms is None:
        ev.analyse_words(node)
    else:  # analysed above for the kernel, which declined the query
        ev.word_terms = word_terms
    try:
        matched = ev.plain_words(node)
        if matched is None:
            matched = ev.eval(node)
    except QueryError as err:  # found while evaluating (a prefix too wide): it still names the query it is in
        err.query = err.query or query
        raise
    if matched is None:
        return SearchResult([], 0, trace or [], described, [], notes or [Message("search.nothing")])
    disjunction = len(matched) >= prune_from and _disjunction(node, ev)  # asked only where pruning may run
    return _ranked(ev, matched, k, explain_hits, highlight_hits, described, small, disjunction, prune_from, block,
                   _conjunctive(node))


def _conjunctive(node: Node) -> bool:
    """Whether every match holds every scoring term: a word, a phrase, or an AND of them (field filters and
    prefixes beside them filter without scoring). Anything else (OR, NOT) answers False, never wrongly True."""
    if isinstance(node, (Word, Phrase)):
        return True
    return isinstance(node, And) and all(isinstance(c, (Field, Prefix)) or _conjunctive(c) for c in node.children)


def _disjunction(node: Node, ev: _Evaluator) -> bool:
    """Whether the matches are exactly the union of the scoring terms' postings: one word of one term, or an OR
    of such words (what top-k pruning needs: every match's score is the sum of its terms' weights)."""
    words = node.children if isinstance(node, Or) else (node,)
    return all(isinstance(w, Word) and len(ev.word_terms.get(w.pos, ())) == 1 for w in words)


def search_terms(snap: Snapshot, kind: str, terms: list[str], k: int = 10, prune_from: int = PRUNE_FROM,
                 block: int = BLOCK) -> SearchResult:
    """Search pre-analysed terms ("term", "and", "or", or "phrase" of adjacent terms): no parsing, no jieba."""
    offsets = list(accumulate((len(t) for t in terms[:-1]), initial=0)) if kind == "phrase" else []
    if terms and lean.applies(snap, prune_from):
        rel = list(zip(terms, offsets, strict=True)) if kind == "phrase" else None
        return lean.top_terms(snap, list(dict.fromkeys(terms)), kind != "or", rel, k, f"{kind}({', '.join(terms)})")
    ev = _Evaluator(snap, None, [])
    if kind == "phrase":
        matched = ev.phrase_terms(list(zip(terms, offsets, strict=True)), " ".join(terms))
    else:
        sets = [ev.postings(t) for t in terms]
        matched = BitMap.union(*sets) if kind == "or" else BitMap.intersection(*sets) if len(sets) > 1 else sets[0]
    return _ranked(ev, matched, k, False, False, f"{kind}({', '.join(terms)})", DEFAULT_SMALL, kind in ("term", "or"),
                   prune_from, block, kind != "or")


def _ranked(ev: _Evaluator, matched: BitMap, k: int, explain_hits: bool, highlight_hits: bool,
            described: str | Node, small: int, disjunction: bool = False, prune_from: int = PRUNE_FROM,
            block: int = BLOCK, conjunctive: bool = False) -> SearchResult:
    """Rank what the evaluation matched, by the terms it found scoring (negated and absent ones excluded)."""
    scoring = ev.scoring if all(ev.scoring.values()) else {t: df for t, df in ev.scoring.items() if df > 0}
    hits, total, scored = rank(ev.snap, matched, scoring, k, explain_hits, highlight_hits, ev.trace, ev.tids, small,
                               ev.expanded, disjunction, prune_from, block, conjunctive)
    return SearchResult(hits, total, ev.trace or [], described, list(scoring), ev.notes, scored)


