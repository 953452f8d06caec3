"""The DDP page in AppTest: it starts its cluster with progress, then shows the ring replay, the equivalence panel
with a mistake, the bucket timeline and the shipped measurements, in both languages."""

from __future__ import annotations

import pytest

from tests.pages.apptest import assert_clean, open_page, settle

PAGE = "pages/ddp.py"
pytestmark = pytest.mark.slow  # each world size's cluster starts once per test session: seconds of import torch


def ready(lang: str = "en", clean: bool = True, **params: str):
    """The page after its cluster has started (the first visit of a world size shows the start's progress)."""
    at = settle(open_page(PAGE, lang, **params))
    if clean:
        assert_clean(at)
    return at


def test_default_view_replays_a_real_ring_and_ddp_matches_one_process() -> None:
    at = ready()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["bytes sent by the busiest rank"] == "64 B"  # 2·(3−1)/3 · 12 floats · 4 B
    assert metrics["equal to gloo's all_reduce"] == "yes"
    assert any("took the same 10 steps" in s.value for s in at.success)
    assert any("no_sync" in s.value for s in at.success)
    assert len(at.get("plotly_chart")) >= 3
    at.slider(key="state").set_value(2).run()
    assert_clean(at)
    assert any("reduce-scatter" in c.value for c in at.caption)


def test_a_mistake_turns_the_panel_red_with_its_reason() -> None:
    at = ready(clean=False, mistake="sum_reduction", n="2")
    assert not at.exception
    assert [e.value.replace("\\", "") for e in at.error] == [
        "reduction='sum' on each shard: DDP averages sums, giving (1/N)·Σ instead of the batch mean, 128× the "
        "single-process gradient."]
    assert any("caught" in i.value for i in at.info)


def test_big_buckets_do_not_overlap_and_chinese_labels() -> None:
    at = ready("zh", cap="25.0", n="2")
    assert any("没有重叠" in c.value for c in at.caption)
    assert any("DDP 在 2 个分片上" in s.value for s in at.success)
