"""Writers started from a shared snapshot (copy-on-write): what they share, and that nobody sees another's edits."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.search import Doc, Index, QueryError
from engine.search.index import AUTO_MERGE_SEGMENTS
from tests.engine.search.strategies import VOCAB, check_against_brute, corpora, queries


def _base(analyzer) -> Index:
    ix = Index(analyzer)
    ix.add_many([Doc(f"b{i:02d}", f"倒排 索引 第{i}篇", fields={"region": "北京"}) for i in range(20)])
    ix.add(Doc("solo", "搜索 引擎", fields={"region": "上海"}))
    return ix


def _ranked(ix: Index, q: str) -> list[tuple[str, float]]:
    return [(h.doc_id, h.score) for h in ix.search(q, k=1000).hits]


def test_a_fork_shares_segments_and_documents(analyzer) -> None:
    base = _base(analyzer)
    fork = Index.from_snapshot(base.snapshot)
    assert fork.snapshot is base.snapshot  # nothing copied until it writes
    fork.add(Doc("mine", "量子 检索"))
    shared = base.snapshot.segments
    assert all(a is b for a, b in zip(fork.snapshot.segments, shared, strict=False))
    assert len(fork.snapshot.segments) == len(shared) + 1
    assert fork.snapshot.doc(0) is base.snapshot.doc(0)  # the same stored object, not a copy
    assert fork.snapshot.docs.own_count() == 1 and fork.snapshot.ids.own_count() == 1


def test_edits_in_one_fork_never_reach_the_base_or_another_fork(analyzer) -> None:
    base = _base(analyzer)
    before = {q: _ranked(base, q) for q in ("倒排", "搜索", "region:北京", "量子")}
    alice, bob = Index.from_snapshot(base.snapshot), Index.from_snapshot(base.snapshot)
    alice.add(Doc("mine", "量子 检索 倒排"))
    assert alice.delete("b03") and alice.delete("solo")
    alice.update(Doc("b05", "全新 内容 量子", fields={"region": "广州"}))
    assert alice.get("b03") is None and alice.get("mine") is not None and alice.get("b05").text == "全新 内容 量子"
    for ix in (base, bob):
        assert {q: _ranked(ix, q) for q in before} == before
        assert ix.get("b03") is not None and ix.get("mine") is None and ix.get("b05").text == "倒排 索引 第5篇"
    assert {h.doc_id for h in alice.search("量子").hits} == {"mine", "b05"}
    assert "b03" not in {h.doc_id for h in alice.search("倒排", k=100).hits}
    bob.add(Doc("mine", "bob 的 文档"))  # the same id in another fork is another document
    assert bob.get("mine").text == "bob 的 文档" and alice.get("mine").text == "量子 检索 倒排"


def test_the_base_writer_writing_later_does_not_leak_into_its_forks(analyzer) -> None:
    base = _base(analyzer)
    fork = Index.from_snapshot(base.snapshot)
    base.delete("b01")
    base.add(Doc("late", "量子"))
    assert fork.get("b01") is not None and fork.get("late") is None and fork.search("量子").total == 0
    assert base.get("b01") is None and base.search("量子").total == 1


def test_auto_merge_in_a_fork_folds_only_its_own_segments(analyzer) -> None:
    base = _base(analyzer)
    shared = set(map(id, base.snapshot.segments))
    fork = Index.from_snapshot(base.snapshot)
    for i in range(AUTO_MERGE_SEGMENTS + 1):
        fork.add(Doc(f"n{i}", f"新词{i} 倒排"))
    segs = fork.snapshot.segments
    assert shared <= set(map(id, segs)) and len(segs) == len(shared) + 1  # the shared ones untouched, own folded
    assert fork.search("倒排", k=100).total == 20 + AUTO_MERGE_SEGMENTS + 1
    fork.merge()  # an explicit merge copies everything into one segment of its own
    assert len(fork.snapshot.segments) == 1 and base.search("倒排", k=100).total == 20


def test_a_fork_saves_and_loads(analyzer, tmp_path: Path) -> None:
    fork = Index.from_snapshot(_base(analyzer).snapshot)
    fork.delete("b02")
    fork.add(Doc("mine", "量子 倒排"))
    fork.save(tmp_path / "ix")
    back = Index.load(tmp_path / "ix")
    for q in ("倒排", "量子", "region:北京"):
        assert _ranked(back, q) == _ranked(fork, q)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpora(), corpora(), st.lists(queries, min_size=1, max_size=3))
def test_a_fork_with_edits_scores_like_an_index_built_from_its_documents(analyzer, base_corpus, edits, qs) -> None:
    """Whatever the shared base and the session's edits, the fork answers exactly as a fresh index of the same
    live documents (and that fresh index is itself checked against brute force)."""
    docs, _ = base_corpus
    new_docs, deletes = edits
    new_docs = [Doc("n" + d.id, d.text, d.title, d.fields) for d in new_docs]
    base = Index(analyzer)
    base.add_many(docs)
    fork = Index.from_snapshot(base.snapshot)
    for d in new_docs:
        fork.add(d)
    gone = {"n" + i for i in deletes} | {d.id for d in docs[:2]}
    for i in gone:
        assert fork.delete(i)
    live = [d for d in [*docs, *new_docs] if d.id not in gone]
    fresh = Index(analyzer)
    fresh.add_many(live)
    for q in [*qs, *VOCAB[:3]]:
        assert _outcome(fork, q) == _outcome(fresh, q), q
    check_against_brute(analyzer, (live, []), qs, merge=False)


def _outcome(ix: Index, q: str) -> list[tuple[str, float]] | str:
    """The ranked hits, or the error's code (a field no live document has is unknown to both)."""
    try:
        return _ranked(ix, q)
    except QueryError as e:
        return e.code
