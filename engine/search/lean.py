"""The lean top k (no trace, no explanations, no snippets) by the compiled kernels of engine.search.kernel: which
queries and snapshots they take, the arrays they are handed, and the SearchResult built from what they return.
engine.search.searcher asks here first and runs everything else itself.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np

from engine.search import kernel
from engine.search.query import And, Node, Or, Phrase, Word
from engine.search.ranking import PRUNE_FROM
from engine.search.results import Hit, SearchResult
from engine.search.snapshot import Snapshot


def applies(snap: Snapshot, prune_from: int) -> bool:
    """Whether a lean search of `snap` may take the kernels: numba is there, the snapshot is one segment without
    deletes, and top-k pruning is off (the kernels score every match; pruning's counts come from the Python path)."""
    return kernel.ENABLED and snap.single and prune_from == PRUNE_FROM


_NO_RANKS = np.zeros(0, dtype=np.int64)


def top_k(snap: Snapshot, node: Node, word_terms: dict[int, list[str]], k: int) -> SearchResult | None:
    """The lean top k by engine.search.kernel, for what most people type: a word, an AND of words, an OR of
    one-term words, or a phrase, on one segment without deletes. The same hits, scores, totals and scoring terms as
    the Python path (tests compare them); None, having done nothing, for any other query, which that path runs."""
    kind = type(node)
    if kind is Phrase:
        rel = snap.analyzer.layout(node.text, mode="precise")
        if not rel:
            return None  # the Python path notes the empty phrase
        terms = list(dict.fromkeys(term for term, _ in rel))
        conj = True
    elif kind is Word:  # the commonest query: no walk over children
        terms = word_terms[node.pos]
        if not terms:
            return None  # the Python path notes a word without terms
        if len(terms) > 1:
            terms = list(dict.fromkeys(terms))
        conj = True
    elif kind is And or kind is Or:
        words = node.children
        for w in words:
            if type(w) is not Word or not word_terms[w.pos] or (kind is Or and len(word_terms[w.pos]) != 1):
                return None
        terms = list(dict.fromkeys(term for w in words for term in word_terms[w.pos]))
        conj = kind is And
    else:
        return None
    return top_terms(snap, terms, conj, rel if kind is Phrase else None, k, node)


def top_terms(snap: Snapshot, terms: list[str], conj: bool, rel: list[tuple[str, int]] | None, k: int,
                described: str | Node) -> SearchResult:
    """The top k of distinct `terms` (all of them where `conj`, else any; at the offsets `rel` from a common start
    for a phrase) by engine.search.kernel, on a snapshot of one segment without deletes."""
    seg = snap.segments[0]
    ids = seg.term_ids
    k = max(0, int(k))
    if len(terms) == 1:  # a one-term query, the commonest: no lists to filter
        t = ids.get(terms[0])
        if t is None:
            return SearchResult([], 0, [], described, [], [], 0)
        tids, found = np.array((t,), dtype=np.int64), terms
    else:
        present = [(term, t) for term in terms if (t := ids.get(term)) is not None]
        found = [term for term, _ in present]
        if not present or (conj and len(present) < len(terms)):  # a term the index lacks: an AND of it matches nothing
            return SearchResult([], 0, [], described, found, [], 0)
        tids = np.array([t for _, t in present], dtype=np.int64)
    use_ranks = not snap.ids_in_docnum_order()
    ranks = snap.id_ranks() if use_ranks else _NO_RANKS
    top_s, top_d = np.empty(k), np.empty(k, dtype=np.int64)
    n_live, k1p = snap.n_live, snap.k1 + 1.0
    if rel is not None and len(rel) > 1:
        where = dict(zip(found, tids.tolist(), strict=True))
        rel_t = np.array([where[term] for term, _ in rel], dtype=np.int64)
        rel_o = np.array([o for _, o in rel], dtype=np.int64)
        total, kept = kernel.run(kernel.phrase, seg.post_docs, seg.tf, seg.post_off, seg.occ_keys, seg.occ_off,
                                 snap.norms(), ranks, use_ranks, rel_t, rel_o, tids, n_live, k1p, top_s, top_d)
    else:
        fn = kernel.conjunction if conj else kernel.disjunction
        total, kept = kernel.run(fn, seg.post_docs, seg.tf, seg.post_off, snap.norms(), ranks, use_ranks, tids, n_live,
                                 k1p, top_s, top_d)
    docs = snap.docs
    hits = list(map(Hit, top_d[:kept].tolist(), top_s[:kept].tolist(), repeat(docs, kept)))
    return SearchResult(hits, total, [], described, list(found), [], total)
