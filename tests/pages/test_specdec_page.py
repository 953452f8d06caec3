"""AppTest of the speculative-decoding page: the acceptance view, greedy equality, every method, the γ sweep,
the live exactness check with the exact and a wrong rule, Medusa's tree, bad prompts, presets."""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.pages.apptest import assert_clean, open_page, settle

PAGE = "pages/specdec.py"


def go(**params: str):
    at = open_page(PAGE, **params)
    assert_clean(at)
    return at


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def html(at) -> str:
    return " ".join(m.value for m in at.markdown if "tok-" in m.value)


def test_default_view_colours_every_token_and_counts_passes() -> None:
    at = go()
    view = html(at)
    assert "tok-prompt" in view and "tok-accepted" in view and ("tok-bonus" in view or "tok-resampled" in view)
    assert view.count('class="tok ') >= 200  # the prompt and 200 new bytes, plus struck-through drafts
    assert int(metric(at, "target passes")) < 200, "drafts must save target passes"
    assert 0 < float(metric(at, "acceptance α")) <= 1


@pytest.mark.slow
def test_greedy_every_method_matches_plain_greedy() -> None:
    at = go(temp="0", new="60")
    for method in ("speculative", "medusa", "mtp", "lookup"):
        at.segmented_control(key="method").set_value(method).run()
        assert_clean(at)
        assert any("token for token" in s.value for s in at.success), method


def test_medusa_shows_tree_and_mask() -> None:
    at = go(method="medusa", temp="0", new="40")
    charts = at.get("plotly_chart")
    assert len(charts) >= 4  # by position, theory, tree, mask
    assert any("candidates accepted" in c.value for c in at.caption)


def test_default_comparison_and_sweep_are_the_recorded_ones() -> None:
    # runs before the live sweep test below, whose result (same prompt, temperature and seed) would take over
    from engine.specdec import DecodeSettings
    from ui.cache import forget_result
    from ui.specdec.live import ROUNDS

    forget_result(("specdec-timed", DecodeSettings("ROMEO:\n"), ROUNDS))  # a live headline timing takes over too
    at = go()
    captions = " ".join(c.value for c in at.caption)
    # the headline speed (until its live timing ends), the comparison and the sweep, each shown at once
    assert captions.count("python -m engine.specdec.bench --record") == 3
    table = next(d.value for d in at.dataframe if "clear" in d.value.columns)
    assert list(table.iloc[:, 0]) == ["Autoregressive", "Speculative (draft model)", "Medusa heads", "MTP modules",
                                      "Prompt lookup"]
    assert table["speedup"].str.contains("×").all() and set(table["clear"]) <= {"yes", "no"}
    sweep = next(d.value for d in at.dataframe if "verify cost v" in d.value.columns)
    assert list(sweep.columns[-2:]) == ["theory", "theory, v = 1"]  # both theories, beside the verify cost
    # the intro: where the measured v is above 1 the dotted theory sits above the other, where below it, below
    v, gap = sweep["verify cost v"], sweep["theory, v = 1"] - sweep["theory"]
    apart = gap.abs() >= 0.015  # the cells are rounded to 0.01: equal-looking ones say nothing
    assert apart.any() and ((gap > 0) == (v > 1))[apart].all()


def _report_percent(key: str) -> str:
    from engine.specdec import load_models

    return f"{load_models().report[key]:.0%}"


def test_formulas_charge_the_verify_pass_and_the_text_says_what_the_issue_asked() -> None:
    at = go()
    formulas = [f.value for f in at.latex]
    assert any(r"\gamma c + T(\gamma+1)/T(1)" in f for f in formulas), formulas
    text = " ".join(m.value for m in at.markdown)
    assert "little more" not in text and "shrinks as the batch grows" in text
    assert "KV caches are cut back to the accepted tokens" in text and "EAGLE-3" in text
    # walkthrough step 3: acceptance falls under greedy, with the training report's numbers filled in
    assert "Acceptance α falls below step 2's" in text and "{greedy}" not in text
    assert f"agrees {_report_percent('draft_greedy')} of the time" in text
    assert f"Σ min(p, q) = {_report_percent('draft_alpha')}" in text


def test_formulas_and_the_new_sentences_in_chinese() -> None:
    from tests.pages.test_chinese_ui import english_in

    at = go(lang="zh")
    words = [w for f in at.latex for w in re.findall(r"\\text\{([^}]*)\}", f.value)]
    assert words and not [w for w in words if english_in(w)], words  # "tokens per target pass" was English
    text = " ".join(m.value for m in at.markdown)
    assert "batch 越大，收益越小" in text and "KV 缓存都截回到被接受的 token" in text and "EAGLE-3" in text
    assert f"一致率为 {_report_percent('draft_greedy')}" in text and "接受率 α 比第 2 步更低" in text


def test_the_theory_caption_shows_the_engines_expected_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page prints the engine's expected tokens per pass; a page that recomputed the formula would not show
    this deliberately planted value."""
    from engine.specdec import stats

    real = stats.summary

    def planted(g, baseline=None):
        s = real(g, baseline)
        if s.get("expected_tokens_per_verify") is not None:
            s["expected_tokens_per_verify"] = 9.87
        return s

    monkeypatch.setattr(stats, "summary", planted)
    at = go()
    assert any("the formula at the measured α gives 9.87" in c.value for c in at.caption)


@pytest.mark.slow
def test_a_first_visit_shows_the_recorded_speed_until_the_live_timing_replaces_it() -> None:
    """At the bench's settings the headline speed is the recording's, labelled, while the live timing runs with an
    estimate from the recorded pace; at other settings there is no recorded speed to show (the negative case)."""
    from engine import recorded
    from engine.specdec import DecodeSettings
    from ui import jobs
    from ui.cache import forget_result
    from ui.specdec.live import ROUNDS

    jobs.reset(wait_s=5)  # no timing of the default settings left from another test
    forget_result(("specdec-timed", DecodeSettings("ROMEO:\n"), ROUNDS))
    rec = recorded.load("specdec", "compare")
    row = next(r for r in rec.rows if r["method"] == "speculative")
    at = go()
    assert metric(at, "tokens/s") == f"{row['tokens_per_s']:.0f}"
    assert any(c.value.startswith("Recorded by") for c in at.caption)
    for _ in range(20):  # the timing waits a second (the page's own work first), then runs: its bar says so
        time.sleep(0.5)
        bar = next((e.proto.text for e in at.run().main if type(e).__name__ == "Progress"), "")
        if "to go" in bar:
            break
    assert "? to go" not in bar and "recorded run's pace" in bar, bar
    assert metric(go(new="11"), "tokens/s") == "…"
    jobs.wait_all(60, cancel=True)


def test_the_headline_speed_is_timed_in_interleaved_rounds() -> None:
    at = go(new="12")  # any settings: the timing runs for what is shown (short, so the test is)
    assert next(m for m in at.metric if m.label == "tokens/s").value == "…"  # timing in the background
    settle(at)
    speed = next(m for m in at.metric if m.label == "tokens/s")
    assert speed.value != "…" and "×" in speed.delta and "–" in speed.delta  # median ratio with its range


@pytest.mark.slow
def test_all_methods_side_by_side_and_the_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ui.specdec.measured.SWEEP_TOKENS", 16)  # the sweep's shape, not its length, is tested
    at = go(new="12")  # not the recorded defaults: both run live, in the background (short: a quick test)
    assert any("No recorded result" in i.value for i in at.info)
    next(b for b in at.button if b.label == "Time all five methods live").click().run(timeout=300)
    settle(at)
    assert_clean(at)
    table = next(d.value for d in at.dataframe if "clear" in d.value.columns)
    assert len(table) == 5 and table["tokens per pass"].max() > 1.0
    assert table["speedup"].str.contains("×").all()  # the median with the range of the rounds
    next(b for b in at.button if b.label == "Measure the sweep live").click().run(timeout=300)
    settle(at)
    assert_clean(at)
    sweep = at.dataframe[-1].value
    assert list(sweep["γ: tokens drafted per step"]) == [1, 2, 3, 4, 6, 8]


def test_multibyte_characters_are_drawn_once_and_the_medusa_step_is_the_step_number() -> None:
    at = go(prompt="罗密欧：你好😀", method="medusa", temp="0", new="30")
    prompt = re.findall(r'class="tok tok-prompt"[^>]*>([^<]*)<', html(at))
    assert len(prompt) == len("罗密欧：你好😀".encode())  # one span per byte token ...
    assert "".join(prompt) == "罗密欧：你好😀"  # ... each character drawn once, on its first byte, no ⟨e7⟩
    step = at.select_slider(key="mstep").value
    caption = next(c.value for c in at.caption if "candidates accepted" in c.value)
    assert caption.startswith(f"Step {step}:")


@pytest.mark.slow
def test_exactness_check_passes_the_exact_rule_and_catches_a_wrong_one() -> None:
    at = go(new="20")
    at.select_slider(key="samples").set_value(8000).run()
    next(b for b in at.button if b.label == "Sample and test").click().run(timeout=300)
    assert_clean(at)
    assert any("consistent with the target" in s.value for s in at.success), [x.value for x in at.error]
    at.segmented_control(key="rule").set_value("resample_from_p").run()
    next(b for b in at.button if b.label == "Sample and test").click().run(timeout=300)
    assert any("changes the distribution" in e.value for e in at.error)


def test_bad_prompts_get_a_message() -> None:
    at = go(new="20")
    at.text_area(key="prompt").set_value("   ").run()
    assert any("Type a prompt" in w.value for w in at.warning)
    at.text_area(key="prompt").set_value("莎士比亚" * 30).run()  # 360 bytes: over the limit in bytes
    assert_clean(at)
    assert any("bytes" in w.value for w in at.warning)
    at.text_area(key="prompt").set_value("<b>KING</b> & 'queen'\n").run()
    assert_clean(at)
    assert "&lt;" in html(at) and "&amp;" in html(at) and "<b>" not in html(at)  # one span per byte


@pytest.mark.slow
def test_chinese_page_and_a_preset() -> None:
    at = open_page(PAGE, lang="zh", new="30")
    assert_clean(at)
    assert any("投机解码" in t.value for t in at.title)
    at.button(key="walk_3").click().run()
    assert_clean(at)
    assert at.session_state["temp"] == 0 and any("逐 token" in s.value for s in at.success)


def test_a_link_reproduces_the_exactness_settings_and_the_medusa_step() -> None:
    at = go(new="30", samples="8000", rule="resample_from_p", method="medusa", temp="0", mstep="3")
    assert at.select_slider(key="samples").value == 8000
    assert at.segmented_control(key="rule").value == "resample_from_p"
    assert at.select_slider(key="mstep").value == 3
    assert at.query_params["samples"] == "8000" and at.query_params["mstep"] == "3"


def test_yours_draws_the_bundled_vllm_example_beside_the_pages_run() -> None:
    from engine.specdec.vllm import example_text, read_metrics

    at = go(yours="True", new="40")
    m = read_metrics(example_text())
    assert metric(at, "drafts verified") == f"{m.drafts:,}"  # the reader's numbers, not the page's own
    assert metric(at, "mean acceptance length") == f"{m.mean_acceptance_length:.2f}"
    assert any("vllm_metrics_example.prom" in c.value for c in at.caption)  # labelled as the example
    assert any("counters add up" in s.value for s in at.success)
    best = next(c.value for c in at.caption if c.value.startswith("At c = 0.10"))
    assert f"γ = {m.best_gamma(0.1)}:" in best and f"{m.speedup(0.1, m.best_gamma(0.1)):.2f}×" in best
    names = [t.get("name") for c in at.get("plotly_chart") for t in json.loads(c.proto.spec)["data"]]
    assert "yours (vLLM)" in names and any(str(n).startswith("this page: Speculative") for n in names)
    assert at.query_params["yours"] == "True"


def test_yours_reports_a_tampered_count_and_a_bad_paste_in_chinese() -> None:
    from engine.specdec.vllm import example_text

    at = go(yours="True", new="10", method="autoregressive", lang="zh")
    at.text_area(key="specdec.yours.paste").set_value(example_text().replace("} 26997.0", "} 26998.0")).run()
    assert_clean(at)
    assert any("不自洽" in w.value and "166,024" in w.value for w in at.warning)  # one number changed
    at.text_area(key="specdec.yours.paste").set_value("vllm:spec_decode_num_drafts_total NaN\n").run()
    assert_clean(at)
    assert any("无法读取" in w.value and "计数器必须是" in w.value for w in at.warning)  # translated, no traceback
