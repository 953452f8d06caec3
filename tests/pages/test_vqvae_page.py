"""AppTest of the VQ-VAE page: every view from the shipped checkpoints, a code chosen, the toy stepped, presets,
and (slow) a live training run of the three rules."""

from __future__ import annotations

import pytest

from tests.pages.apptest import assert_clean, open_page, settle

PAGE = "pages/vqvae.py"


def go(view: str, **params: str):
    at = open_page(PAGE, view=view, **params)
    assert_clean(at)
    return at


def test_reconstructions_from_the_shipped_models() -> None:
    at = go("recon", rule="ema_restart")
    assert any("0.0049" in c.value for c in at.caption)  # MSE of the first 8 held-out digits, computed now
    at.button_group(key="rule").set_value("loss").run()
    assert_clean(at)
    assert any("0.0683" in c.value for c in at.caption)
    at.number_input(key="code").set_value(5).run()
    assert_clean(at)
    assert any("code 5" in c.value for c in at.caption)


def test_collapse_view_shows_the_three_rules_side_by_side() -> None:
    at = go("collapse")
    table = at.dataframe[0].value.set_index("rule")
    assert list(table["codes used"]) == ["1 / 64", "43 / 64", "64 / 64"]
    mse = table["held-out MSE"]
    assert mse.iloc[0] > mse.iloc[1] > mse.iloc[2]
    assert any("weights_only=True" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 4


def test_new_settings_ask_for_training_and_other_views_say_so() -> None:
    at = go("collapse", seed="7")
    assert at.button[0].label == "Train the three rules" and not at.dataframe
    at = go("recon", seed="7")
    assert any("not been trained" in i.value for i in at.info)


def test_straight_through_view_reports_bitwise_identity() -> None:
    at = go("straight", rule="ema")
    m = {x.label: x.value for x in at.metric}
    assert m["bitwise identical"] == "yes" and m["max |∂z_e − ∂z_q|"] == "0.0e+00"
    assert m["nonzero codebook grads"].startswith("0 / ")


def test_toy_steps_and_restarts() -> None:
    at = go("toy", trule="kmeans", tstep="12")
    dead = {x.label: x.value for x in at.metric}["dead codes"]
    assert int(dead) > 0
    at.button_group(key="trule").set_value("ema_restart").run()
    assert_clean(at)
    assert int({x.label: x.value for x in at.metric}["dead codes"]) == 0


def test_bits_ledger_view() -> None:
    at = go("bits")
    table = at.dataframe[0].value.set_index("stored as")
    assert table.loc["code indices (log2 K bits each)", "bits per digit"] == 96.0
    assert table.loc["entropy-coded, codebook-loss rule", "bits per digit"] < 1


def test_walkthrough_preset() -> None:
    at = go("walkthrough")
    at.button(key="walk_5").click().run()
    assert_clean(at)
    assert at.session_state["view"] == "toy" and at.session_state["tstep"] == 12


@pytest.mark.slow
def test_live_training_of_new_settings() -> None:
    at = go("collapse", steps="100", k="16", grid="2x2")
    at.button[0].click().run(timeout=300)
    settle(at)
    assert_clean(at)
    table = at.dataframe[0].value
    assert list(table.iloc[:, 1].str.endswith("/ 16")) == [True] * 3
