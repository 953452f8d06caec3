"""AppTest of the number-formats page: every view, malformed input, bit flips, presets, training."""

from __future__ import annotations

import json
import re
import statistics

import pytest

from engine import recorded
from engine.numerics import encode
from tests.pages.apptest import assert_clean, open_page, settle
from ui.text.numerics import TEXT

PAGE = "pages/numerics.py"


def go(view: str, **params: str):
    """Open the page at `view` with `params` in the URL, as a shared link would."""
    at = open_page(PAGE, view=view, **params)
    assert_clean(at)
    return at


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_formats_table_lists_every_format() -> None:
    at = go("formats")
    df = at.dataframe[0].value
    assert list(df["format"]) == ["fp64", "fp32", "tf32", "fp16", "bf16", "fp8_e4m3", "fp8_e5m2", "fp6_e3m2",
                                  "fp6_e2m3", "fp4_e2m1", "e8m0"]
    rows = df.set_index("format")
    assert rows.loc["fp16", "max"] == 65504.0 and rows.loc["fp4_e2m1", "max"] == 6.0
    assert rows.loc["fp6_e2m3", "max"] == 7.5 and rows.loc["fp6_e3m2", "max"] == 28.0
    assert rows.loc["e8m0", "max"] == 2.0**127 and rows.loc["e8m0", "bits"] == 8
    # each row names the reference its rounding was checked against, not torch for all
    ref = rows["checked against"]
    assert ref["fp16"] == "torch.float16" and ref["fp8_e5m2"] == "torch.float8_e5m2 · ml_dtypes.float8_e5m2"
    assert ref["fp4_e2m1"] == "ml_dtypes.float4_e2m1fn" and ref["e8m0"] == "ml_dtypes.float8_e8m0fnu"
    assert ref["tf32"].startswith("an independent bit-level reference")
    caption = " ".join(c.value for c in at.caption)
    assert "checked against torch's casts" not in caption and "TF32" in caption


def test_explorer_shows_exact_stored_value() -> None:
    at = go("explorer", x="0.1", fmt="fp16")
    assert "0.0999755859375" in markdown_text(at)
    table = at.dataframe[0].value
    assert len(table) == 11 and "0x2E66" in set(table.iloc[:, 2])


def test_explorer_shows_the_conversion_error_of_the_edited_format_and_its_rounding() -> None:
    """fp16 stores 0.1 as 0.0999755859375: its row's error is that difference, never 0, and the rounding panel
    shows both neighbours, the ulp between them and the rule that chose."""
    at = go("explorer", x="0.1", fmt="fp16")
    row = at.dataframe[0].value.set_index("format").loc["fp16"]
    assert float(row["error"]) == pytest.approx(0.0999755859375 - 0.1, rel=1e-3)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["neighbour below"] == "0.09997558594" and metrics["neighbour above"] == "0.1000366211"
    assert metrics["ulp (spacing there)"] == f"{2.0**-14:.10g}"
    assert any("rounds down" in i.value for i in at.info)
    at = go("explorer", x="65520", fmt="fp16")
    assert any("largest finite value 65504" in i.value for i in at.info)
    at = go("explorer", x="1e-7", fmt="fp16")
    assert "19.209%" in at.metric[3].delta  # walkthrough step 3's "about 19 %", as computed


@pytest.mark.parametrize("text", ["text", "", "nan", "1e999", "0x3C0000", "0xZZ", "-0", "1e-999", "<script>"])
def test_explorer_malformed_input_gives_a_message_not_an_error(text: str) -> None:
    at = go("explorer", fmt="fp16")
    at.text_input(key="x").set_value(text).run()
    assert_clean(at)
    shown = markdown_text(at) + " ".join(w.value for w in at.warning) + " ".join(i.value for i in at.info)
    assert shown.strip()


def test_hex_of_wrong_width_is_explained() -> None:
    at = go("explorer", fmt="fp8_e4m3", x="0x3C00")
    assert any("at most 2" in w.value for w in at.warning)


def test_clicking_a_bit_flips_it() -> None:
    at = go("explorer", fmt="fp16", x="1.0")
    sign = at.button_group(key=f"bits_sign_{encode(1.0, 'fp16').bits}_fp16")
    sign.set_value([15]).run()
    assert_clean(at)
    assert at.text_input(key="x").value == "0xBC00"
    assert "`-1`" in markdown_text(at) or "-1" in markdown_text(at)


def test_switching_format_carries_a_pattern_over_as_its_value() -> None:
    at = go("explorer", fmt="fp16", x="0x3C00")
    at.selectbox(key="fmt").set_value("bf16").run()
    assert_clean(at)
    assert at.text_input(key="x").value == "1.0"


def test_range_view() -> None:
    at = go("range")
    assert len(at.get("plotly_chart")) == 2


@pytest.mark.slow
def test_gradients_view_and_loss_scale() -> None:
    at = go("gradients", gfmt="fp16", scale="0")
    metrics = {m.label: m.value for m in at.metric}
    underflow_unscaled = float(metrics["flushed to zero"].rstrip("%"))
    at.slider(key="scale").set_value(16).run()
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["flushed to zero"].rstrip("%")) < underflow_unscaled
    at.selectbox(key="layer").set_value("blocks.0.fc.weight").run()
    assert_clean(at)


def test_walkthrough_preset_sets_the_view() -> None:
    at = go("walkthrough")
    at.button(key="walk_2").click().run()
    assert_clean(at)
    assert at.text_input(key="x").value == "65520"
    table = at.dataframe[0].value
    assert table.iloc[3, 3] == "inf"  # fp16 row, class column
    # 65520 overflows fp16 to inf: its error is that overflow, not an undefined "nan"
    fp16 = table.set_index("format").loc["fp16"]
    assert fp16["error"] == fp16["relative error"] == "overflow → inf"
    assert {m.label: m.value for m in at.metric}["conversion error"] == "overflow → inf"
    assert table.set_index("format").loc["bf16", "error"] == f"{65536.0 - 65520.0:.3e}"


def test_the_formulas_speak_the_visitors_language() -> None:
    en = " ".join(x.value for x in go("formats").latex)
    assert "loss scaling" in en and "bias" in en
    zh_at = open_page(PAGE, "zh", view="formats")
    assert_clean(zh_at)
    zh = " ".join(x.value for x in zh_at.latex)
    assert "损失缩放" in zh and "偏置" in zh
    assert not re.search(r"[A-Za-z]{3,}", " ".join(re.findall(r"\\text\{([^}]*)\}", zh)).replace("MX", ""))


@pytest.mark.slow
def test_training_view_runs_four_modes() -> None:
    at = go("training", steps="20", init="28", interval="5")
    at.button[0].click().run(timeout=300)
    settle(at)
    assert_clean(at)
    summary = at.dataframe[0].value
    assert list(summary.iloc[:, 0]) == ["fp32", "fp16", "fp16_scaled", "bf16"]
    assert summary.iloc[2, 2] > 0, "starting at 2^28 must overflow and skip steps"


def _final(run: dict) -> float:
    """A recorded run's final loss, computed here from its losses: the mean of the last tenth."""
    tail = run["losses"][-max(1, len(run["losses"]) // 10):]
    return sum(tail) / len(tail)


def test_training_shows_the_recorded_comparison_and_the_preset_where_formats_differ() -> None:
    at = go("training")  # the defaults: recorded by the bench, drawn without pressing anything
    captions = " ".join(c.value for c in at.caption)
    assert "python -m engine.numerics.bench --record" in captions
    # the seconds are one sequential run, said so, with the ratios the table shows
    seconds = at.dataframe[0].value.set_index("mode")["seconds (one run each, in turn)"].astype(float)
    assert "one after another" in captions and "in software" in captions
    assert f"fp16 took {seconds['fp16'] / seconds['fp32']:.1f}×" in captions
    # what loss scaling changed, and its largest gain over every shipped comparison, from the JSON files
    runs = [json.loads(recorded.path("numerics", n).read_text())["rows"][0] for n in
            ("training-default", "training-scale-28", "training-sgd-low")]
    best = max(_final(r["fp16"]) - _final(r["fp16_scaled"]) for r in runs)
    assert f"scaling lowered fp16's final loss by at most {best:.4f}" in captions
    assert f"without scaling ended at {_final(runs[0]['fp16']):.4f}" in captions
    # where autocast put each part, observed here: the matmuls low, the layer norms and the loss float32
    assert "fp16: linear layers float16" in captions and "the loss float32" in captions
    assert "layer norms float32" in captions
    at = go("walkthrough")
    at.button(key="walk_9").click().run()
    assert_clean(at)
    summary = at.dataframe[0].value.set_index("mode")
    final = summary["final loss"].astype(float)
    assert final["bf16"] > final["fp32"] + 0.1, "bf16 weights under SGD must end visibly behind fp32"
    stuck = summary["weights a gradient failed to move"].str.rstrip("%").astype(float)
    assert stuck["bf16"] > stuck["fp16"] > stuck["fp32"]


def test_a_link_reproduces_the_range_formats() -> None:
    at = go("range", rfmts="fp16,bf16")
    assert at.multiselect(key="rfmts").value == ["fp16", "bf16"]
    assert at.query_params["rfmts"] == "fp16,bf16"


@pytest.mark.parametrize("x", ["0x-1", "0b-1", "0x٣"])
def test_signed_or_non_ascii_patterns_get_a_message(x: str) -> None:
    at = go("explorer", fmt="fp16", x=x)
    assert any("not a valid" in w.value for w in at.warning)


def test_explorer_on_formats_below_fp8() -> None:
    at = go("explorer", fmt="e8m0", x="3")  # unsigned: no sign bit to click, and a tie goes up
    keys = {b.key for b in at.button_group}
    enc = encode(4.0, "e8m0")
    assert f"bits_exponent_{enc.bits}_e8m0" in keys and not any(k.startswith("bits_sign") for k in keys)
    assert any("breaks the tie upwards" in i.value for i in at.info)
    at = go("explorer", fmt="fp4_e2m1", x="nan")  # NaN has no FP4 pattern: a message, no bits
    assert not [b for b in at.button_group if b.key.startswith("bits_")]
    assert any("has no NaN" in i.value for i in at.info)
    at = go("explorer", fmt="fp4_e2m1", x="0x7")
    assert "`6`" in markdown_text(at) or "6" in markdown_text(at)
    row = at.dataframe[0].value.set_index(at.dataframe[0].value.columns[0]).loc["fp4_e2m1"]
    assert row.iloc[1] == "0x7" and row.iloc[0] == "0 11 1"


@pytest.mark.slow
def test_block_scaling_view() -> None:
    at = go("blocks", tlayer="blocks.0.out", tkind="activation", scheme="mxfp4")
    m = {x.label: x.value for x in at.metric}
    assert m["bits per value"] == "4.250" and m["block"] == "32"
    every = at.dataframe[0].value.set_index("scheme")
    assert every.loc["bf16", "SQNR (dB)"] > every.loc["mxfp8", "SQNR (dB)"] > every.loc["mxfp4", "SQNR (dB)"]
    assert every.loc["mxfp4", "flushed to 0"] < every.loc["fp4_tensor", "flushed to 0"]
    assert float(m["SQNR"].split()[0]) == pytest.approx(every.loc["mxfp4", "SQNR (dB)"], abs=0.01)
    at.select_slider(key="bsize").set_value(8).run()
    assert_clean(at)
    m8 = {x.label: x.value for x in at.metric}
    assert m8["block"] == "8" and float(m8["SQNR"].split()[0]) > float(m["SQNR"].split()[0])
    at.selectbox(key="scheme").set_value("fp8_tensor").run()
    assert_clean(at)
    assert at.select_slider(key="bsize").disabled
    pooled = at.dataframe[1].value.set_index("scheme")
    assert list(pooled.columns) == ["weight", "activation", "activation gradient"]
    assert pooled.loc["mxfp8_ceil", "activation gradient"] > pooled.loc["mxfp8", "activation gradient"]


@pytest.mark.slow
def test_outlier_view() -> None:
    at = go("outlier", tlayer="blocks.0.fc", tkind="activation", factor="1000")
    table = at.dataframe[0].value.set_index("scheme")
    clean, spiked = table["SQNR without it (dB)"], table["SQNR beside it (dB)"]
    assert clean["fp4_tensor"] - spiked["fp4_tensor"] > 10 and abs(clean["mxfp4"] - spiked["mxfp4"]) < 1
    at.button_group(key="oscheme").set_value("mxfp4").run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 2


def _recorded_lowbit() -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Per recipe, the shipped recording's final losses per seed and gaps to fp32 per seed, computed here."""
    rows = json.loads(recorded.path("numerics", "lowbit-default").read_text())["rows"]
    finals = {m: [_final(row[m]) for row in rows] for m in rows[0]}
    gaps = {m: [f - b for f, b in zip(v, finals["fp32"], strict=True)] for m, v in finals.items()}
    return finals, gaps


def _verdict(gaps: list[float]) -> str:
    if all(g == 0 for g in gaps):
        return "the reference"
    return "behind on every seed" if min(gaps) > 0 else "ahead on every seed" if max(gaps) < 0 else "within the spread"


def test_lowbit_view_shows_the_recorded_comparison_over_seeds() -> None:
    at = go("lowbit")
    assert any("python -m engine.numerics.bench --record" in c.value for c in at.caption)
    finals, gaps = _recorded_lowbit()
    assert len(finals["fp32"]) == 3, "three seeds"
    table = at.dataframe[0].value
    names = {"fp32": "fp32", **{k.removeprefix("scheme."): v[0] for k, v in TEXT.items() if k.startswith("scheme.")}}
    by_name = {names[m]: m for m in finals}
    assert list(table["recipe"]) == sorted(by_name, key=lambda n: statistics.mean(finals[by_name[n]]))
    for _, row in table.iterrows():
        m = by_name[row["recipe"]]
        assert row["final loss (mean)"] == round(statistics.mean(finals[m]), 4)
        assert row["std over seeds"] == round(statistics.stdev(finals[m]), 4)
        assert row["final loss min–max"] == f"{min(finals[m]):.4f} – {max(finals[m]):.4f}"
        assert row["gap min–max"] == f"{min(gaps[m]):.4f} – {max(gaps[m]):.4f}"
        assert row["against fp32"] == _verdict(gaps[m])
    # the sentence under the table: every recipe in the group its seeds put it in, nothing else
    text = markdown_text(at)
    order = ", ".join(f"{m} {statistics.mean(v):.4f}" for m, v in sorted(finals.items(), key=lambda kv:
                                                                        statistics.mean(kv[1])))
    assert f"Over 3 seeds × 120 steps, lowest mean final loss first: {order}." in text
    for group in ("behind", "within", "ahead"):
        members = [f"{m} ({statistics.mean(g):+.4f})" for m, g in sorted(gaps.items(), key=lambda kv:
                   statistics.mean(finals[kv[0]])) if _verdict(g).startswith(group)]
        listed = re.escape(", ".join(members) or "none")
        assert re.search(re.escape(group) + r"[^:]*: " + listed + r"\.", text, re.I), group


def test_lowbit_view_names_what_the_simulation_leaves_out() -> None:
    at = go("lowbit")
    absent = at.dataframe[1].value.set_index("recipe")["left out here"]
    assert "16×16" in absent["NVFP4 (E2M1, 16, E4M3 + FP32)"] and "Hadamard" in absent["NVFP4 (E2M1, 16, E4M3 + FP32)"]
    assert "stochastic" in absent["NVFP4 (E2M1, 16, E4M3 + FP32)"]
    assert "Hadamard" in absent["MXFP4 (E2M1, 32, E8M0)"] and "stochastic" in absent["MXFP4 (E2M1, 32, E8M0)"]
    assert "E5M2" in absent["FP8 E4M3, one FP32 scale per tensor"]


def test_walkthrough_step_15_is_worded_from_the_recording() -> None:
    at = go("walkthrough")
    step = next(m.value for m in at.markdown if m.value.startswith("15."))
    _, gaps = _recorded_lowbit()
    for m, g in gaps.items():
        if _verdict(g) != "the reference":
            assert f"{m} ({statistics.mean(g):+.4f})" in step
    assert "falls behind" not in step and "finer scales" not in step


@pytest.mark.slow
def test_lowbit_view_trains_the_chosen_recipes_live() -> None:
    at = go("lowbit", recipes="fp32,mxfp4", lsteps="20", lseeds="2")
    at.button(key="lowbit_run").click().run(timeout=300)
    settle(at)
    assert_clean(at)
    table = at.dataframe[0].value.set_index("recipe")
    assert set(table.index) == {"fp32", "MXFP4 (E2M1, 32, E8M0)"} and table.loc["MXFP4 (E2M1, 32, E8M0)",
                                                                                "gap to fp32 (mean)"] != 0


@pytest.mark.slow
def test_walkthrough_step_7_says_what_the_presets_gradients_show() -> None:
    """Step 7's numbers, recomputed from the gradient view's own run (the preset: all activation gradients)."""
    from engine.numerics.gradients import capture_gradients, loss_fractions
    from ui.numerics.blocks import GRAD_STEPS

    g = capture_gradients(steps=GRAD_STEPS).values(kind="activation")
    e4m3 = {s: loss_fractions(g, "fp8_e4m3", 2.0**s) for s in range(41)}
    onset = min(s for s, f in e4m3.items() if f.overflow > 0)
    e5m2 = loss_fractions(g, "fp8_e5m2", 2.0**16)
    for text in TEXT["walk.7"]:
        assert f"2^0 flushes {e4m3[0].underflow:.3%}" in text or f"{e4m3[0].underflow:.3%} 的激活梯度下溢" in text
        assert e4m3[16].overflow == 0
        assert f"{e4m3[16].normal:.0%}" in text and f"{e4m3[16].underflow:.0%}" in text
        assert f"2^{onset}" in text and f"{e4m3[onset].underflow:.1%}" in text and e4m3[onset - 1].overflow == 0
        assert f"{e5m2.normal:.0%}" in text and "E5M2" in text


def test_yours_view_draws_every_scheme_on_the_example() -> None:
    """The bundled .safetensors example: the chosen scheme's metrics, every scheme's row, and the sentence under
    the table formatted from the same numbers (recomputed here from the file)."""
    from safetensors.torch import load_file

    from engine.numerics.blocks import SCHEMES, quantize_scheme
    from engine.numerics.examples.make_weights import EXAMPLE

    at = go("yours")
    w = load_file(EXAMPLE)["proj.weight"].double()
    q = quantize_scheme(w, "nvfp4", "weight")
    m = {x.label: x.value for x in at.metric}
    assert m["SQNR"] == f"{q.sqnr_db:.2f} dB" and m["flushed to 0"] == f"{q.flushed:,}" and m["block"] == "16"
    table = at.dataframe[0].value.set_index("scheme")
    assert list(table.index) == list(SCHEMES)
    for s in ("fp4_tensor", "mxfp4", "nvfp4"):
        qs = quantize_scheme(w, s, "weight")
        assert table.loc[s, "SQNR (dB)"] == round(qs.sqnr_db, 2) and table.loc[s, "flushed to 0"] == qs.flushed
    assert table.loc["nvfp4", "scale"] == "e4m3 + fp32" and table.loc["mxfp4", "element"] == "fp4_e2m1"
    worst = min((s for s in SCHEMES if SCHEMES[s].element == "fp4_e2m1"), key=lambda s: table.loc[s, "SQNR (dB)"])
    assert f"{worst} only {table.loc[worst, 'SQNR (dB)']:.2f} dB" in markdown_text(at)
    assert len(at.get("plotly_chart")) == 2 and not at.warning
    assert at.query_params["view"] == "yours" and not any("upload" in k for k in at.query_params)


def test_yours_view_reports_a_tampered_value_and_refuses_a_pickle() -> None:
    import io

    import numpy as np
    import torch

    at = go("yours")
    a = np.random.default_rng(0).normal(size=(8, 32)).astype(np.float32)
    a[2, 5] = np.nan
    buf = io.BytesIO()
    np.save(buf, a)
    at.get("file_uploader")[0].upload("acts.npy", buf.getvalue()).run()
    assert_clean(at)
    assert any("2, 5" in w.value and "NaN or ±inf" in w.value for w in at.warning)
    buf = io.BytesIO()
    torch.save({"w": torch.ones(2)}, buf)
    at.get("file_uploader")[0].upload("model.pt", buf.getvalue()).run()
    assert_clean(at)
    assert any("is a pickle" in w.value and "never opened" in w.value for w in at.warning) and not at.dataframe


def test_yours_view_in_chinese() -> None:
    at = open_page(PAGE, "zh", view="yours")
    assert_clean(at)
    assert any("合成" in c.value for c in at.caption) and at.dataframe


@pytest.mark.slow
def test_stochastic_rounding_view_against_independent_references() -> None:
    """The draws' metrics recomputed with round_array's own seeded draws, the neighbours from ml_dtypes' patterns;
    the rotation table rebuilt with scipy's Hadamard matrix instead of the engine's fast transform."""
    import ml_dtypes
    import numpy as np
    import scipy.linalg
    import torch

    from engine.numerics import round_array
    from engine.numerics.blocks import quantize_scheme, sqnr_db
    from engine.numerics.hadamard import signs
    from ui.numerics.rounding import DRAWS, ROTATED, example_weight

    at = go("stochastic", srfmt="fp4_e2m1", srx="0.3")
    m = {x.label: (x.value, x.delta) for x in at.metric}
    grid = np.unique(np.arange(16, dtype=np.uint8).view(ml_dtypes.float4_e2m1fn).astype(np.float64))
    below, above = grid[grid <= 0.3].max() + 0.0, grid[grid >= 0.3].min()  # + 0.0: -0 and 0 are one neighbour
    assert m["neighbours below · above"][0] == f"{below:.6g} · {above:.6g}"
    draws = round_array(np.full(DRAWS, 0.3), "fp4_e2m1", rounding="stochastic", seed=0)
    assert m[f"stochastic, mean of {DRAWS:,} draws"][0] == f"{draws.mean():.6g}"
    assert m["rounded up"] == (f"{(draws == above).mean():.2%}", f"expected {(0.3 - below) / (above - below):.2%}")
    assert m["round to nearest"][1] == f"bias {round(0.3 * 2) / 2 - 0.3:+.3g}"
    w = example_weight()
    h = torch.from_numpy(scipy.linalg.hadamard(16)).double() / 4
    d = signs(16, 0)
    y = ((w.reshape(64, 4, 16) * d) @ h.T).reshape(64, 64)
    table = at.dataframe[0].value.set_index("scheme")
    assert list(table.index) == list(ROTATED)
    for s in ROTATED:
        back = ((quantize_scheme(y, s, "weight").dequantized.reshape(64, 4, 16) @ h) * d).reshape(64, 64)
        assert table.loc[s, "SQNR rotated (dB)"] == round(sqnr_db(w, back), 2)
        assert table.loc[s, "SQNR as it is (dB)"] == round(quantize_scheme(w, s, "weight").sqnr_db, 2)
    text = markdown_text(at)
    hurt = [s for s in ROTATED if table.loc[s, "SQNR rotated (dB)"] < table.loc[s, "SQNR as it is (dB)"] - 0.1]
    assert all(f"{s} (" in text.split("It hurt:")[1].split(".")[0] for s in hurt)
    at.number_input(key="srx").set_value(1000.0).run()  # far past FP4's max: both neighbours are 6, no error
    assert_clean(at)


def test_walkthrough_steps_16_and_17_are_worded_from_their_results() -> None:
    import torch

    at = go("walkthrough")
    steps = {m.value[:3]: m.value for m in at.markdown if m.value.startswith(("16.", "17."))}
    s = torch.tensor(1.0, dtype=torch.bfloat16)
    for _ in range(1000):  # torch's own bf16 additions: round to nearest
        s = (s.double() + 1e-3).to(torch.bfloat16)
    assert f"round-to-nearest still reads {float(s):.6g}" in steps["16."] and "exact 2." in steps["16."]
    at.button(key="walk_17").click().run()
    assert_clean(at)
    table = at.dataframe[0].value.set_index("scheme")
    mx = table.loc["mxfp4"]
    assert f"MXFP4's SQNR goes from {mx.iloc[0]:.2f} to {mx.iloc[1]:.2f} dB" in steps["17."]


def test_lowbit_parts_are_bound_to_the_url_and_never_shown_as_the_recording() -> None:
    at = go("lowbit", lparts="stochastic_grads,hadamard_wgrad")
    assert set(at.button_group(key="lparts").value) == {"stochastic_grads", "hadamard_wgrad"}
    assert not any("python -m engine.numerics.bench --record`" in c.value for c in at.caption)
    recipe_tables = [d.value for d in at.dataframe if "recipe" in d.value.columns]
    assert not any("bf16 (no scale)" in set(t["recipe"]) for t in recipe_tables)  # the live comparison waits


@pytest.mark.slow
def test_lowbit_parts_train_beside_the_plain_recipe() -> None:
    at = go("lowbit", recipes="fp32,mxfp4", lsteps="20", lseeds="1", lparts="stochastic_grads")
    at.button(key="lowbit_run").click().run(timeout=300)
    settle(at)
    assert_clean(at)
    table = at.dataframe[0].value.set_index("recipe")
    assert set(table.index) == {"fp32", "MXFP4 (E2M1, 32, E8M0)", "MXFP4 (E2M1, 32, E8M0) + the chosen parts"}


def test_the_published_recipes_recording_is_drawn_and_worded_from_its_numbers() -> None:
    """The wider GPT's recording: the table and the ablation sentence recomputed here from the JSON."""
    rec = json.loads(recorded.path("numerics", "published-wide").read_text())
    rows = rec["rows"]
    finals = {m: [_final(row[m]) for row in rows] for m in rows[0]}
    at = go("lowbit")
    names = {k.removeprefix("pub."): v[0] for k, v in TEXT.items() if k.startswith("pub.") and k.count(".") == 1}
    table = next(d.value for d in at.dataframe if names["nvfp4_published"] in set(d.value.iloc[:, 0]))
    table = table.set_index("recipe")
    for m, v in finals.items():
        assert table.loc[names[m], "final loss (mean)"] == round(statistics.mean(v), 4)
        gaps = [f - b for f, b in zip(v, finals["fp32"], strict=True)]
        assert table.loc[names[m], "against fp32"] == _verdict(gaps)
    text = markdown_text(at)
    for whole, plain in (("nvfp4_published", "nvfp4"), ("mxfp4_published", "mxfp4")):
        d = [a - b for a, b in zip(finals[whole], finals[plain], strict=True)]
        assert f"{names[whole]}: " in text and f"({statistics.mean(d):+.4f} on average" in text
        word = "lowered" if max(d) < 0 else "raised" if min(d) > 0 else "the seeds disagree"
        assert re.search(re.escape(names[whole]) + r": [^.]*" + word, text)
    assert f"{rec['settings']['steps']} steps on {len(rows)} seeds" in text


@pytest.mark.slow
def test_loss_scale_doctor_names_the_first_overflow_and_the_safe_scale() -> None:
    """The doctor's verdict under the loss-scaling view, and its GradScaler check: 2^30 overflows and the safe scale
    it names is one GradScaler keeps."""
    import torch

    from engine.numerics.tinylm import Batches, TinyGPT, TinyGPTConfig, training_text
    from tests.engine.numerics.test_doctor import gradscaler_skips
    from ui.numerics.doctor import BATCH

    at = go("training", dscale="30")
    verdict = next(w.value for w in at.warning if "overflows" in w.value)
    safe = int(re.search(r"fixes it: 2\^(\d+)", verdict).group(1))
    torch.manual_seed(0)
    cfg = TinyGPTConfig()
    model = TinyGPT(cfg)
    x, y = Batches(training_text(), cfg.context, BATCH, 0, torch.device("cpu")).next()
    assert gradscaler_skips(model, x, y, 2.0**30) and not gradscaler_skips(model, x, y, 2.0**safe)
    assert gradscaler_skips(model, x, y, 2.0 ** (safe + 1))
    assert "backward pass of head (Linear)" in verdict and at.dataframe[-1].value.iloc[0]["layer"] == "head"
    at.slider(key="dscale").set_value(safe).run()
    assert_clean(at)
    assert any("nothing to fix" in s.value for s in at.success)
