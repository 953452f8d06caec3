"""AppTest of the tiled-attention page: live result, guard, step-through, sweep, presets."""

from __future__ import annotations

import pytest
import torch

from tests.pages.apptest import assert_clean, open_page, settle

PAGE = "pages/attention.py"


def go(wait: bool = True, **params: str):
    """Open the page; unless `wait` is False, let its background work end and draw it again, as a browser's
    progress fragment would."""
    at = open_page(PAGE, **params)
    assert_clean(at)
    return settle(at) if wait else at


def live_table(at):
    return at.dataframe[0].value.set_index("method")


def test_default_live_result_matches_float64_to_rounding() -> None:
    at = go()
    table = live_table(at)
    assert list(table.index) == ["naive", "tiled", "sdpa"]
    assert all(float(x) < 1e-5 for x in table["relative error vs float64"])
    assert float(table.loc["naive", "peak memory above inputs (MiB)"]) > 10 * float(
        table.loc["tiled", "peak memory above inputs (MiB)"])


@pytest.mark.slow
def test_guard_refuses_the_naive_method_when_it_would_not_fit() -> None:
    """At N = 8192 and 16 heads the textbook method would need gigabytes: the warning is drawn before any work
    starts (what does run, tiled and SDPA at that size, takes minutes here: it is cancelled, not awaited)."""
    from ui import jobs

    at = go(False, n="8192", heads="16", d="8", bq="512", bk="512")
    assert any("naive would need" in w.value for w in at.warning)
    jobs.wait_all(60, cancel=True)


def test_a_refused_method_is_left_out_of_the_live_result(monkeypatch) -> None:
    """The same guard at a size that runs in a moment: a memory budget between what SDPA and the textbook method
    would need (N = 2048, one head) leaves the textbook method out of the result, and only it."""
    import ui.attention.live as live
    from engine.attention.guard import estimate

    est = estimate(2048, 2048, 16, 1, torch.float32, 256, 256)
    assert est.naive > 2 * max(est.tiled, est.sdpa)
    monkeypatch.setattr(live, "memory_budget", lambda device: (est.naive + max(est.tiled, est.sdpa)) // 2
                        + est.reference64)
    at = go(n="2048", heads="1", d="16", bq="256", bk="256")
    assert any("naive would need" in w.value for w in at.warning)
    assert list(live_table(at).index) == ["tiled", "sdpa"]


def test_causal_step_through_and_bf16() -> None:
    at = go(tn="64", tb="16", n="256", heads="2")
    at.toggle(key="causal").set_value(True).run()
    assert_clean(at)
    assert "skipped by the causal mask" in " ".join(c.value for c in at.caption)
    slider = at.slider(key="tile")
    slider.set_value(slider.max).run()
    assert_clean(at)
    assert "Row" in at.info[0].value
    at.segmented_control(key="dtype").set_value("bf16").run()
    assert_clean(at)
    assert all(float(x) < 2e-2 for x in live_table(at)["relative error vs float64"])


@pytest.mark.slow
def test_sweep_draws_memory_and_time() -> None:
    at = go(heads="1", d="16", bq="128", bk="128")
    assert not any("Recorded by" in c.value for c in at.caption)  # the recording is for the defaults only
    at.button[0].click().run(timeout=600)
    settle(at)
    assert_clean(at)
    charts = at.get("plotly_chart")
    assert len(charts) >= 7  # grid, tiles, stats, convergence, memory, time, io


@pytest.mark.slow
def test_walkthrough_guard_preset() -> None:
    """Step 5 is the guard: its warning is drawn at once (its minutes of tiled and SDPA work are cancelled)."""
    from ui import jobs

    at = go()
    at.button(key="walk_5").click().run(timeout=300)
    assert_clean(at)
    assert any("naive would need" in w.value for w in at.warning)
    jobs.wait_all(60, cancel=True)


def test_default_sweep_is_the_recorded_one_with_where_and_when() -> None:
    at = go()
    caption = next(c.value for c in at.caption if "Recorded by" in c.value)
    assert "python -m engine.attention.bench --record" in caption and "2 cores" in caption
    assert len(at.get("plotly_chart")) >= 7  # the recorded sweep is drawn without pressing anything


def test_a_long_live_run_shows_progress_and_can_be_cancelled() -> None:
    from ui import jobs

    # minutes on 2 cores: it must not block the page (settings no other test caches)
    at = go(False, n="8192", heads="12", d="32", bq="512", bk="512")
    assert_clean(at)
    bar = [e for e in at.main if type(e).__name__ == "Progress"]  # inside the progress fragment's block
    assert bar and "to go" in bar[0].proto.text
    assert len(at.get("plotly_chart")) >= 5  # the step-through and the IO model were drawn meanwhile
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("cancel_"))).click().run()
    jobs.wait_all(60)
    at.run()
    assert any("Cancelled after" in i.value for i in at.info)


def test_a_link_reproduces_the_tile_step() -> None:
    at = go(tn="64", tb="16", tile="5")
    assert at.slider(key="tile").value == 5 and at.query_params["tile"] == "5"
    assert "Row" in at.info[0].value or "first tile" in at.info[0].value


def test_time_against_tile_size_beside_the_io_model() -> None:
    """On the CPU the tiled pass's time follows its tile count (a Python step per tile); the IO model's HBM
    traffic for the same tiles falls as they grow, below the textbook method's."""
    import json

    at = go()
    assert "Fastest here at tiles of" in " ".join(c.value for c in at.caption)
    figs = {f["layout"]["title"]["text"]: f for f in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
            if "title" in f["layout"]}
    cpu, gpu = figs["measured here: time of one pass"], figs["IO model: what a GPU would move through HBM"]
    tiled = dict(zip(cpu["data"][0]["x"], cpu["data"][0]["y"], strict=True))
    assert tiled[16] > 2 * tiled[256]  # 16,384 tiles against 64: the loop, not the arithmetic
    traffic = gpu["data"][0]["y"]
    assert traffic == sorted(traffic, reverse=True) and traffic[-1] < gpu["data"][1]["y"][-1]


def test_a_step_through_of_a_single_tile_has_no_slider_and_no_error() -> None:
    at = go(tn="16", tb="16")
    assert_clean(at)
    assert not [s for s in at.slider if s.key == "tile"] and "first tile" in at.info[0].value


def test_walkthrough_numbers_come_from_the_tiles_the_recording_and_the_guard() -> None:
    """Step 3's tile counts, step 4's growth per doubling and step 5's guard are formatted from what each step
    shows, not fixed words ("half the tiles", "about 2×", "is refused") that held for only some machines."""
    from engine import recorded
    from engine.attention import count_tiles
    from engine.attention.compare import growth
    from engine.attention.guard import estimate, memory_budget

    at = go()
    steps = {m.value[:2]: m.value for m in at.markdown if m.value[:2] in ("3.", "4.", "5.")}
    computed, skipped = count_tiles(128, 128, 32, 32, True)
    assert (computed, skipped) == (10, 6)
    assert f"{skipped} of {computed + skipped} tiles are grey" in steps["3."] and "half the tiles" not in steps["3."]
    g = growth(recorded.load("attention", "sweep").rows)
    assert g["tiled"]["hi"] < 2 < g["naive"]["lo"]  # the recording's real claim: tiled grows by less than 2×
    tiled, work = g["tiled"], g["tiled_workspace_mib"]
    assert f"the tiled one's only {tiled['lo']:.2f}–{tiled['hi']:.2f}×" in steps["4."]
    assert f"a fixed {work['lo']:.2f} MiB of tiles" in steps["4."] and "about 2×" not in steps["4."]
    need = estimate(8192, 8192, 16, 16, torch.float32, 256, 256).naive / 2**30
    budget = memory_budget(torch.device("cpu")) / 2**30
    assert budget < need  # this CPU cannot hold it: a GPU with more memory would run it
    assert f"would need {need:.1f} GiB, more than a run may use on this CPU ({budget:.1f} GiB)" in steps["5."]


def test_the_methods_are_equal_to_rounding_and_the_difference_is_shown() -> None:
    """Not "exactly the same": the live result shows how far apart the methods are, and the memory caption says
    tiled is below the textbook formula, not below SDPA."""
    import re

    from ui.text.app import TEXT as APP

    at = go()
    what = " ".join(m.value for m in at.markdown)
    assert "exactly the same" not in what.lower() and "equals the textbook one to rounding" in what
    assert "FlashAttention-2's order" in what
    captions = " ".join(c.value for c in at.caption)
    diffs = dict(re.findall(r"max \|(\w+ − \w+)\| = (\d\.\de[+-]\d+)", captions))
    assert set(diffs) == {"naive − tiled", "naive − sdpa", "tiled − sdpa"}
    assert all(0 < float(d) < 1e-5 for d in diffs.values())
    table = live_table(at)["peak memory above inputs (MiB)"].astype(float)
    assert f"Peak memory: tiled {table['tiled']:,.2f} MiB" in captions and "far less memory" not in captions
    assert "exact" not in APP["topic.attention.blurb"][0] and "to rounding" in APP["topic.attention.blurb"][0]


def test_the_io_models_sram_is_an_sms_shared_memory() -> None:
    at = go()
    assert "shared memory" in at.select_slider(key="sram").label
    assert "streaming multiprocessor (SM)" in " ".join(c.value for c in at.caption)


def test_backward_step_through_equals_autograd_and_says_what_the_lse_saves() -> None:
    """The backward part (#34) replays FA-2's tiles (key blocks outer) and shows its check against float64 autograd
    from the live result; its memory caption is formatted from the result: P's bytes against the LSE's."""
    import re

    at = go(False, tn="64", tb="16", n="256", heads="2")
    captions = " ".join(c.value for c in at.caption)
    errs = re.search(r"max \|Δ\| of dQ (\S+), of dK (\S+), of dV (\S+); every row of P rebuilt from the LSE "
                     r"against torch.softmax: (\S+)\.", captions)
    assert errs and all(float(e.rstrip(";,")) < 1e-12 for e in errs.groups())
    # one float64 head of 64 tokens: P is 64 × 64 × 8 bytes = 32 KiB, the LSE 64 × 8 bytes = 0.5 KiB
    assert "here P would be 32.0 KiB, the LSE is 0.50 KiB, 64× less" in captions
    assert not [s for s in at.slider if s.key == "btile"]  # the step-through waits for its switch
    at.toggle(key="bwd").set_value(True).run()
    slider = at.slider(key="btile")
    assert slider.max == 15  # 4 × 4 tiles, none skipped without the causal mask
    slider.set_value(3).run()
    assert_clean(at)
    assert "Key block 0 (keys 0–15) meets query block 3 (rows 48–63)" in " ".join(i.value for i in at.info)
    assert "Query blocks left before dK_j and dV_j are final: 0." in " ".join(i.value for i in at.info)


def test_yours_view_reads_the_bundled_example_and_computes_nothing_when_closed() -> None:
    at = go(False, n="256", heads="2")
    assert not [t for t in at.toggle if t.key == "yours" and t.value]
    assert "Turn it on to paste or upload" in " ".join(c.value for c in at.caption)
    at = go(False, n="256", heads="2", yours="True", ytok="8192", ygpu="H100-SXM")
    assert_clean(at)
    shape = at.dataframe[-2].value.set_index("what")
    assert list(shape["value"]) == ["32", "32", "8", "128", "bfloat16"]
    assert shape.loc["key/value heads", "read from key"] == "num_key_value_heads"
    text = " ".join(m.value for m in at.markdown)
    assert "**K/V cache** (GQA): 1.00 GiB for 8,192 tokens × batch 1, 128 KiB per token" in text
    assert "it would be 4.00 GiB, 4× more" in text
    assert "bundled example llama_style_gqa.config.json" in " ".join(c.value for c in at.caption)
    assert any("nothing else in the file contradicts it" in s.value for s in at.success)
    at.segmented_control(key="yex").set_value("bigcode_style_mqa.config.json").run()
    assert_clean(at)
    assert "**K/V cache** (MQA)" in " ".join(m.value for m in at.markdown)
    assert at.query_params["yex"] == "bigcode_style_mqa.config.json"
    assert not [k for k in at.query_params if "paste" in k or "upload" in k]  # the URL holds the view, not the file


def test_yours_view_reports_a_tampered_paste_and_a_bad_one_in_chinese() -> None:
    import json

    from engine.attention.hfconfig import example

    cfg = json.loads(example("llama_style_gqa.config.json")) | {"num_key_value_heads": 6}
    at = go(False, n="256", heads="2", yours="True")
    at.text_area(key="attention.config.paste").input(json.dumps(cfg, indent=2)).run()
    assert_clean(at)
    assert any("Does not add up: 32 query heads do not split into groups of the 6" in w.value for w in at.warning)
    at = go(False, lang="zh", n="256", heads="2", yours="True")
    from tests.pages.test_chinese_ui import _assert_chinese
    from ui.text.attention import TEXT

    _assert_chinese(at, "attention/yours", data_columns=(TEXT["yours.col.key"][1],))  # the file's own key names
    at.text_area(key="attention.config.paste").input('{\n  "num_hidden_layers": 32,\n  oops\n}').run()
    assert_clean(at)
    assert any("不是有效的 JSON" in w.value or "JSON" in w.value for w in at.warning)
    assert any("oops" in c.value for c in at.code)


@pytest.mark.slow
def test_walkthrough_backward_and_yours_steps_are_formatted_from_results() -> None:
    from engine.attention.backward import saved_bytes
    from engine.attention.hfconfig import example, from_hf_config

    at = go(False, n="256", heads="2")
    steps = {m.value[:2]: m.value for m in at.markdown if m.value[:2] in ("6.", "7.")}
    keep = saved_bytes(64, 64, 1, 8, 8)
    assert f"P for this head would take {keep['p']:,} bytes, the LSE {keep['lse']:,}" in steps["6."]
    shape = from_hf_config(example("llama_style_gqa.config.json"))
    assert f"{shape.kv_heads} K/V heads serve {shape.heads} query heads" in steps["7."] and "4×" in steps["7."]
    at.button(key="walk_7").click().run()
    assert_clean(at)
    assert "**K/V cache** (GQA)" in " ".join(m.value for m in at.markdown)
