"""The DDP page in AppTest: it starts its cluster with progress, then shows the ring replay, the equivalence panel
with a mistake, the bucket timeline and the shipped measurements, in both languages."""

from __future__ import annotations

import os

import pytest

from engine import recorded
from engine.ddp import ddp_vs_single, warm_cluster
from tests.pages.apptest import assert_clean, open_page, settle
from ui.text.ddp import TEXT

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
    assert metrics["scheduled payload of the busiest rank"] == "64 B"  # 2·(3−1)/3 · 12 floats · 4 B
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


def test_payload_is_called_scheduled_never_sent_bytes() -> None:
    """The transfer log counts what each rank hands to isend: a schedule, not traffic measured on the wire."""
    for key, (en, _zh) in TEXT.items():
        assert "bytes sent" not in en and "B sent" not in en and "MiB sent" not in en, key
    assert "scheduled payload" in TEXT["sent"][0] and "计划载荷" in TEXT["sent"][1]


def test_texts_are_formatted_from_the_results_they_describe() -> None:
    at = ready()
    # the page's default all-reduce is our ring (gloo sums in another order: a different last bit)
    eq = warm_cluster(3).run(ddp_vs_single, model="mlp", steps=10, batch=64, dtype="float64", allreduce="ring")
    gap = f"{max(eq.per_step_grad_diff):.1e}"
    assert any(f"by at most {gap} over 10 steps" in m.value for m in at.markdown)  # walkthrough step 3
    assert not any("about 1e-16" in m.value for m in at.markdown)
    cores = recorded.load("ddp", "allreduce_n3").machine["cores"]
    notes = [c.value for c in at.caption if "ranks outnumber the cores" in c.value]
    assert (f"3 ranks on {cores} CPU cores" in " ".join(notes)) == (cores < 3)  # the recording's machine
    assert (f"3 ranks on {os.cpu_count()} CPU cores" in " ".join(notes)) == (os.cpu_count() < 3)  # this one, live
    padded = ready(clean=False, mistake="sampler_padding", n="2")
    assert any("of a batch of 63." in c.value for c in padded.caption)  # DistributedSampler's case uses 63
    assert not any("ranks outnumber" in c.value for c in padded.caption)


def test_ddp_runs_through_our_ring_and_its_real_bucket_is_replayed() -> None:
    at = ready(n="2")
    assert any("through our ring (ring_hook" in c.value for c in at.caption)
    at.segmented_control(key="replay").set_value("ddp").run()
    assert_clean(at)
    assert any("Bucket 0 of DDP's last training step" in c.value and "676 gradient values" in c.value
               for c in at.caption)
    at.slider(key="state").set_value(2).run()  # N = 2: after the all-gather, every rank holds both ranks' sums
    assert_clean(at)
    assert any("all-gather" in c.value for c in at.caption)
    gloo = ready(n="2", allreduce="gloo", replay="ddp")
    assert any("went through gloo" in i.value for i in gloo.info)


def test_bytes_on_lo_are_shown_beside_the_schedule() -> None:
    at = ready(n="3")
    frames = [d.value for d in at.dataframe if "measured on lo (MiB)" in d.value.columns]
    assert len(frames) == 1 and len(frames[0]) == 4
    ring = frames[0].iloc[0]
    assert ring["scheduled, all ranks (MiB)"] == "64.00"  # 2(N−1)·S = 4 · 16 MiB
    assert float(ring["measured on lo (MiB)"]) >= 64.0


def test_a_first_visit_draws_the_shipped_view_at_once_and_live_results_replace_it() -> None:
    """Issue #31: with no processes running (a first visit, or after the idle reaper), the first run already draws
    the whole default view from the shipped recording, labelled, and the live run replaces it when ready."""
    from engine.ddp.cluster import _WARM
    from ui.cache import _results

    for cl in list(_WARM.values()):
        cl.close()
    store = _results()
    with store.lock:  # results of earlier tests would otherwise stand in for the recording
        for k in [k for k in store.items if isinstance(k, tuple) and k[:1] == ("ddp",)]:
            del store.items[k]
    at = open_page(PAGE, "en", n="4")
    assert not at.exception
    assert any("Meanwhile the page shows a recording" in c.value for c in at.caption)
    assert any("--view-only --record" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) >= 5 and any("took the same 10 steps" in s.value for s in at.success)
    settle(at)
    assert_clean(at)
    assert not any("--view-only --record" in c.value for c in at.caption)  # live now
    assert any("took the same 10 steps" in s.value for s in at.success)
