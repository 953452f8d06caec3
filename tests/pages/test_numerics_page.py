"""AppTest of the number-formats page: every view, malformed input, bit flips, presets, training."""

from __future__ import annotations

import pytest

from engine.numerics import encode
from tests.pages.apptest import assert_clean, open_page, settle

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


@pytest.mark.slow
def test_training_view_runs_four_modes() -> None:
    at = go("training", steps="20", init="28", interval="5")
    at.button[0].click().run(timeout=300)
    settle(at)
    assert_clean(at)
    summary = at.dataframe[0].value
    assert list(summary.iloc[:, 0]) == ["fp32", "fp16", "fp16_scaled", "bf16"]
    assert summary.iloc[2, 2] > 0, "starting at 2^28 must overflow and skip steps"


def test_training_shows_the_recorded_comparison_and_the_preset_where_formats_differ() -> None:
    at = go("training")  # the defaults: recorded by the bench, drawn without pressing anything
    assert any("python -m engine.numerics.bench --record" in c.value for c in at.caption)
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


def test_lowbit_view_shows_the_recorded_comparison() -> None:
    at = go("lowbit")
    assert any("python -m engine.numerics.bench --record" in c.value for c in at.caption)
    table = at.dataframe[0].value.set_index("recipe")
    gap = table["gap to fp32"].astype(float)
    assert gap["fp32"] == 0 and len(table) == 7
    assert gap["FP4 E2M1, one FP32 scale per tensor"] > gap["MXFP4 (E2M1, 32, E8M0)"]
    assert gap["MXFP4 (E2M1, 32, E8M0)"] > gap["DeepSeek-V3 FP8: 1×128 tiles, 128×128 weight blocks"]


@pytest.mark.slow
def test_lowbit_view_trains_the_chosen_recipes_live() -> None:
    at = go("lowbit", recipes="fp32,mxfp4", lsteps="20")
    at.button(key="lowbit_run").click().run(timeout=300)
    settle(at)
    assert_clean(at)
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == ["fp32", "MXFP4 (E2M1, 32, E8M0)"] and table.iloc[1, 2] != 0
