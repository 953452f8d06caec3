"""AppTest of the VQ-VAE page: every view from the shipped checkpoints, a code chosen, the toy stepped, presets,
and (slow) a live training run of the three rules."""

from __future__ import annotations

import pytest
import torch

from engine.vqvae import codebook_stats, load_digits
from engine.vqvae.model import UPDATES, restart_after
from engine.vqvae.train import SHIPPED, load_seed_table, load_shipped, spread
from tests.pages.apptest import assert_clean, open_page, settle

PAGE = "pages/vqvae.py"


def _mse(rule: str, n: int = 8) -> str:
    """The MSE of the first n held-out digits through a shipped model, computed here, apart from the page."""
    x = load_digits()
    m, _ = load_shipped()[rule]
    with torch.no_grad():
        return f"{float(torch.nn.functional.mse_loss(m(x.heldout[:n]).recon, x.heldout[:n])):.4f}"


def go(view: str, **params: str):
    at = open_page(PAGE, view=view, **params)
    assert_clean(at)
    return at


def test_reconstructions_from_the_shipped_models() -> None:
    at = go("recon", rule="ema_restart")
    assert any(f"MSE of these 8 digits: {_mse('ema_restart')}" in c.value for c in at.caption)
    assert any("the shipped checkpoint digits-ema_restart.pt," in c.value for c in at.caption)  # where it is from
    at.button_group(key="rule").set_value("loss").run()
    assert_clean(at)
    assert any(f"MSE of these 8 digits: {_mse('loss')}" in c.value for c in at.caption)
    at.number_input(key="code").set_value(5).run()
    assert_clean(at)
    assert any("code 5" in c.value for c in at.caption)


def test_collapse_view_shows_the_three_rules_side_by_side() -> None:
    at = go("collapse")
    table = at.dataframe[0].value.set_index("rule")
    x = load_digits()
    used = {u: codebook_stats(m, x).codes_used for u, (m, _) in load_shipped().items()}
    assert list(table["codes used"]) == [f"{used[u]} / 64" for u in UPDATES]
    mse = table["held-out MSE"]
    assert mse.iloc[0] > mse.iloc[1] > mse.iloc[2]
    assert any("shipped checkpoints digits-loss.pt, digits-ema.pt, digits-ema_restart.pt" in c.value
               and "weights_only=True" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 5  # usage, two curves, losses, and the recorded K sweep
    from engine.vqvae.ksweep import load_ksweep

    rec = load_ksweep()
    assert any(c.value.startswith("Recorded by python -m engine.vqvae.bench --k-sweep --record on") and rec.date
               in c.value for c in at.caption)
    top = {r["rule"]: r for r in rec.rows if r["k"] == max(r["k"] for r in rec.rows)}
    assert any(f"EMA uses {top['ema']['codes_used']} codes on the held-out digits and EMA with restarts "
               f"{top['ema_restart']['codes_used']};" in m.value for m in at.markdown)
    # the restart rule, stated with the numbers the engine uses
    assert any(f"{restart_after(SHIPPED.ema_decay)} batches in a row without a single pick" in m.value
               for m in at.markdown)
    # the same table over the shipped seeds, formatted from the shipped file
    sp = spread(load_seed_table()["rows"])
    seeds = at.dataframe[1].value.set_index("rule")
    for u, label in zip(UPDATES, seeds.index, strict=True):
        v = sp[u]["codes_used"]
        assert seeds.loc[label, "codes used"] == f"{v.mean:.1f} ({v.lo:.0f}–{v.hi:.0f})"
        v = sp[u]["mse"]
        assert seeds.loc[label, "held-out MSE"] == f"{v.mean:.4f} ({v.lo:.4f}–{v.hi:.4f})"


def test_intro_states_the_split_and_the_live_views_say_so() -> None:
    x = load_digits()
    at = go("toy")
    intro = at.markdown[0].value
    assert f"trained on {len(x.train):,} of scikit-learn's {len(x):,}" in intro and "1,438" in intro
    assert f"the other {len(x.heldout):,} are held out" in intro
    assert any(c.value.startswith("Computed live, just now, on") for c in at.caption)
    assert not any("shipped checkpoint" in c.value for c in at.caption)


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
    assert any("the shipped checkpoint digits-ema.pt," in c.value for c in at.caption)


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
    x = load_digits()
    used = {u: codebook_stats(m, x).codes_used for u, (m, _) in load_shipped().items()}
    assert any(f"ends on {used['loss']} of 64 codes, EMA on {used['ema']}, EMA with restarts on "
               f"{used['ema_restart']}" in m.value for m in at.markdown)
    at.button(key="walk_5").click().run()
    assert_clean(at)
    assert at.session_state["view"] == "toy" and at.session_state["tstep"] == 12
    import numpy as np

    from engine.vqvae.examples.make_codes import EXAMPLE

    at = go("walkthrough")
    codes = len(np.unique(np.load(EXAMPLE, allow_pickle=False)))
    assert any(f"uses {codes} of 64 codes with perplexity" in m.value for m in at.markdown)
    at.button(key="walk_11").click().run()
    assert_clean(at)
    assert at.session_state["view"] == "yours" and at.dataframe


@pytest.mark.slow
def test_live_training_of_new_settings() -> None:
    at = go("collapse", steps="100", k="16", grid="2x2")
    at.button[0].click().run(timeout=300)
    settle(at)
    assert_clean(at)
    table = at.dataframe[0].value
    assert list(table.iloc[:, 1].str.endswith("/ 16")) == [True] * 3


def test_yours_view_draws_the_example_beside_the_three_rules() -> None:
    import math

    import numpy as np

    from engine.vqvae.examples.make_codes import EXAMPLE

    at = go("yours")
    codes = np.load(EXAMPLE, allow_pickle=False)  # numpy's own reader, apart from the page's
    counts = np.bincount(codes.ravel(), minlength=64)
    p = counts[counts > 0] / counts.sum()
    table = at.dataframe[0].value.set_index("rule")
    assert table.loc["yours", "codes used"] == f"{np.count_nonzero(counts)} / 64"
    assert table.loc["yours", "perplexity"] == f"{math.exp(-(p * np.log(p)).sum()):,.1f}"
    assert list(table.index[1:]) == ["codebook loss (paper)", "EMA", "EMA + dead-code restart"]
    assert any("bundled example digits-codes.npy" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 1 and not at.warning
    assert at.query_params["view"] == "yours" and not any("upload" in k for k in at.query_params)


def test_yours_view_names_a_tampered_code_and_refuses_a_pickle() -> None:
    import io

    import numpy as np

    from engine.vqvae.examples.make_codes import EXAMPLE

    codes = np.load(EXAMPLE, allow_pickle=False).copy()
    codes[3, 0, 2] = 99
    buf = io.BytesIO()
    np.save(buf, codes)
    at = go("yours")
    at.get("file_uploader")[0].upload("mine.npy", buf.getvalue()).run()
    assert_clean(at)
    assert any("codes ≥ the codebook size 64: 1 (first at [3, 0, 2], value 99)" in w.value.replace("\\", "")
               for w in at.warning)
    assert any("your file mine.npy" in c.value for c in at.caption)
    buf = io.BytesIO()
    np.save(buf, np.array([object()], dtype=object), allow_pickle=True)
    at.get("file_uploader")[0].upload("evil.npy", buf.getvalue()).run()
    assert_clean(at)
    assert any("object array" in w.value and "pickle" in w.value for w in at.warning) and not at.dataframe


@pytest.mark.slow
def test_yours_view_in_chinese() -> None:
    at = open_page(PAGE, "zh", view="yours")
    assert_clean(at)
    assert any("困惑度" in c.value for c in at.caption)


def test_fsq_and_rotation_view_numbers_come_from_the_engine() -> None:
    from engine.vqvae.quantizer_demo import fsq_demo, rotation_demo

    at = go("fsq", fl1="8", fl2="8", fspread="0.25", rangle="120", rratio="0.5", rg="200")
    u = fsq_demo((8, 8), 0.25).usage
    r = rotation_demo(120, 0.5, 200)
    m = {x.label: x.value for x in at.metric}
    assert m["grid codes used"] == f"{u.used} / 64" and u.used < 64
    assert m["gradient turned by"] == f"{r.gradient_turn_deg:.1f}°" == "-120.0°" and m["gradient scaled by"] == "0.500"
    assert len(at.get("plotly_chart")) >= 2  # the plane and the arrows (then the study's curves, once shipped)
    at = go("walkthrough")
    assert any(f"points use only {u.used} of 64 grid codes" in x.value for x in at.markdown)
    assert any("turned by -120° and scaled by 0.5;" in x.value for x in at.markdown)
    at.button(key="walk_10").click().run()
    assert_clean(at)
    assert at.session_state["view"] == "fsq" and at.session_state["rangle"] == 120


@pytest.mark.slow
def test_the_study_beside_the_three_rules_is_formatted_from_the_shipped_file() -> None:
    import statistics

    from engine.vqvae.alternatives import load_study

    at = go("fsq")
    table = load_study()
    if table is None:  # not shipped yet: the view says how to make it, and draws nothing
        assert any("python -m engine.vqvae.alternatives" in i.value for i in at.info)
        return
    shown = at.dataframe[0].value.set_index("rule")
    for rule, label in (("rotation", "codebook loss + rotation trick"), ("fsq", "FSQ (no codebook)")):
        used = [r["codes_used"] for r in table["rows"] if r["rule"] == rule]
        assert shown.loc[label, "codes used"].startswith(f"{statistics.fmean(used):.1f} ({min(used):.1f}–")
    assert len(at.get("plotly_chart")) == 3
    loss = statistics.fmean(r["codes_used"] for r in table["rows"] if r["rule"] == "loss")
    rotation = statistics.fmean(r["codes_used"] for r in table["rows"] if r["rule"] == "rotation")
    at = go("walkthrough")
    assert any(f"uses {loss:.1f} held-out codes on average with the straight-through copy and {rotation:.1f} with"
               in m.value for m in at.markdown)


def test_codebook_init_is_a_training_setting() -> None:
    """The codebook-start control (issue #35) is part of the settings: a non-default start asks for training,
    bound to the URL; the default start is the shipped run."""
    at = go("collapse")
    assert at.button_group(key="cinit").value == "random" and at.dataframe
    at.button_group(key="cinit").set_value("kmeans").run()
    assert_clean(at)
    assert at.query_params["cinit"] == "kmeans"
    assert at.button[0].label == "Train the three rules" and not at.dataframe
    at = go("recon", cinit="data")
    assert any("not been trained" in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_generate_view_draws_digits_in_both_languages(lang: str) -> None:
    from engine.vqvae.prior import load_prior, sample_codes

    at = open_page(PAGE, lang=lang, view="generate", gtemp="0.7", gseed="3")
    assert_clean(at)
    assert at.session_state["gtemp"] == 0.7 and at.session_state["gseed"] == 3
    assert len(at.get("plotly_chart")) == 2  # the drawn digits and the prior's training log
    sp = load_prior()
    distinct = len({tuple(g.reshape(-1).tolist()) for g in sample_codes(sp.prior, 32, 0.7, 3)})  # apart from the page
    metrics = [m.value for m in at.metric]
    assert metrics[:2] == [f"{sp.log.heldout_bits:.2f}", f"{sp.log.unigram_bits:.2f}"]
    if lang == "en":
        assert any(f"32 digits drawn at T = 0.7 (code grids that differ: {distinct})" in c.value for c in at.caption)
        assert any("prior-ema_restart.pt" in c.value and "weights_only=True" in c.value for c in at.caption)
    else:
        from tests.pages.test_chinese_ui import _assert_chinese

        _assert_chinese(at, "vqvae/generate")  # no English prose but names (the view is not in that file's list)
        assert any(f"其中有 {distinct} 种不同的码字网格" in c.value for c in at.caption)
    at.select_slider(key="gtemp").set_value(0.0).run()  # argmax decoding: one digit, drawn every time
    assert_clean(at)
    assert any(("(code grids that differ: 1)" if lang == "en" else "其中有 1 种") in c.value for c in at.caption)


def test_walkthrough_generate_steps() -> None:
    from engine.vqvae.prior import load_prior

    at = go("walkthrough")
    log = load_prior().log
    assert any(f"it needs {log.heldout_bits:.2f} bits per code against {log.unigram_bits:.2f}" in m.value
               for m in at.markdown)
    at.button(key="walk_14").click().run()
    assert_clean(at)
    assert at.session_state["view"] == "generate" and at.session_state["gtemp"] == 0.0
