"""Top-k pruning (block-max MaxScore) keeps BM25 exact: the same top k, the same scores bit for bit, as scoring
every match, and both agree with a brute-force BM25 loop; the documents it skips are counted."""

from __future__ import annotations

import math
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.search import Analyzer, Doc, Index
from engine.search.pruning import Blocks

WORDS = ["alpha", "beta", "gamma", "delta", "omega", "sigma"]
AN = Analyzer("precise")
NEVER = 10**9  # prune_from that never prunes: the exhaustive path


def _index(texts: list[str]) -> Index:
    ix = Index(AN)
    ix.add_many([Doc(f"d{i:03d}", t) for i, t in enumerate(texts)])
    return ix


def _brute_top(texts: list[str], terms: list[str], k: int) -> list[tuple[str, float]]:
    """BM25 from the token lists, every document scored, top k by score then id."""
    toks = [t.split() for t in texts]
    n, avgdl = len(toks), sum(map(len, toks)) / len(toks)
    df = Counter(w for ts in toks for w in set(ts))
    rows = []
    for i, ts in enumerate(toks):
        c = Counter(ts)
        if not any(c[t] for t in terms):
            continue
        s = sum(math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) * c[t] * 2.2
                / (c[t] + 1.2 * (0.25 + 0.75 * len(ts) / avgdl)) for t in dict.fromkeys(terms) if c[t])
        rows.append((-s, f"d{i:03d}"))
    return [(i, -s) for s, i in sorted(rows)[:k]]


texts_st = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=9).map(" ".join), min_size=1, max_size=80)


@settings(max_examples=25, deadline=None)
@given(texts=texts_st, terms=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
       k=st.integers(1, 6), block=st.sampled_from([1, 2, 3, 8]))
def test_pruned_equals_exhaustive_and_brute(texts, terms, k, block):
    ix = _index(texts)
    q = terms[0] if len(terms) == 1 else " OR ".join(terms)
    fast = ix.search(q, k, prune_from=0, block=block)
    slow = ix.search(q, k, prune_from=NEVER)
    assert [(h.docnum, h.score) for h in fast.hits] == [(h.docnum, h.score) for h in slow.hits]  # bit for bit
    assert fast.total == slow.total == slow.scored and slow.skipped == 0
    assert fast.scored + fast.skipped == fast.total
    want = _brute_top(texts, terms, k)
    assert [h.doc_id for h in fast.hits] == [i for i, _ in want]
    for h, (_, s) in zip(fast.hits, want, strict=True):
        assert math.isclose(h.score, s, rel_tol=1e-9)
    kind = "term" if len(terms) == 1 else "or"
    lean = ix.search_terms(kind, terms, k, prune_from=0, block=block)
    assert [(h.docnum, h.score) for h in lean.hits] == [(h.docnum, h.score) for h in fast.hits]


def test_pruning_skips_what_cannot_reach_the_top_k():
    # 2 documents full of "rare" (high scores), 400 where "common" appears once in a long document: with k=2,
    # every block of "common" scores below the two best, so those documents are skipped
    texts = ["alpha alpha alpha"] * 2 + ["beta " + "gamma " * 30] * 400 + ["alpha beta"]
    ix = _index(texts)
    res = ix.search("alpha OR beta", 2, prune_from=0, block=8)
    assert res.total == 403 and res.skipped > 300 and res.scored + res.skipped == 403
    assert [h.doc_id for h in res.hits] == ["d000", "d001"]
    exhaustive = ix.search("alpha OR beta", 2, prune_from=NEVER)
    assert exhaustive.skipped == 0 and [(h.doc_id, h.score) for h in exhaustive.hits] == [
        (h.doc_id, h.score) for h in res.hits]


def test_and_and_phrase_are_not_pruned():
    ix = _index(["alpha beta"] * 50 + ["beta alpha"] * 50)
    for q in ("alpha beta", '"alpha beta"', "alpha -beta"):
        assert ix.search(q, 1, prune_from=0, block=1).skipped == 0


def test_block_bounds_hold_every_posting():
    """Negative control of the bound itself: each block's (max tf, min dl) really bounds its postings."""
    ix = _index(["alpha " * (i % 5 + 1) + "beta " * (i % 3) for i in range(300)])
    snap = ix.snapshot
    seg = snap.segments[0]
    blk = Blocks(seg, snap.dl, 7)
    for j in range(len(blk.start)):
        lo, n = blk.start[j], blk.size[j]
        assert blk.maxtf[j] == seg.tf[lo:lo + n].max()
        dl, tf = snap.dl[seg.post_docs[lo:lo + n]], seg.tf[lo:lo + n]
        assert blk.mindl[j] == dl.min()
        for row, mask in enumerate([tf == 1, tf == 2, tf == 3, tf > 3]):
            assert blk.level_dl[row, j] == (dl[mask].min() if mask.any() else blk.level_dl.max())
    assert blk.size.sum() == len(seg.tf)


def test_ties_break_by_id_whether_or_not_ids_follow_doc_numbers():
    for ids in (["a", "m", "z"], ["z", "a", "m"]):
        ix = Index(AN)
        ix.add_many([Doc(i, "alpha beta") for i in ids])
        assert ix.snapshot.ids_in_docnum_order() == (ids == sorted(ids))  # the fast path's flag, both ways
        for prune_from in (0, NEVER):
            assert [h.doc_id for h in ix.search("alpha", 3, prune_from=prune_from).hits] == ["a", "m", "z"]
            assert [h.doc_id for h in ix.search("alpha", 2, explain=False, highlight=False, trace=False).hits] == [
                "a", "m"]
