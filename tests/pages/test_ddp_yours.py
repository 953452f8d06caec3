"""The DDP page's "yours" view in AppTest: the bundled nccl-tests example read and drawn beside our ring, a tampered
paste reported line by line, and a bad paste shown as a translated error, in both languages, with no cluster
started."""

from __future__ import annotations

from engine.ddp import is_warm
from tests.pages.apptest import assert_clean, open_page
from ui.ddp.yours import example_text

PAGE = "pages/ddp.py"


def test_the_example_is_read_recomputed_and_drawn_without_starting_processes() -> None:
    warm = is_warm(3)
    at = open_page(PAGE, view="yours")
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["collective"] == "all_reduce" and metrics["ranks N"] == "8" and metrics["sizes"] == "28"
    assert metrics["fitted busbw"].endswith("GB/s")
    assert any("All 112 printed bandwidths recompute" in s.value for s in at.success)
    assert any("bundled example" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 1
    assert is_warm(3) == warm  # the yours view starts nothing


def test_a_tampered_paste_is_reported_and_a_bad_paste_is_a_translated_error() -> None:
    lines = example_text().splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith("  1073741824"))
    tok = lines[i].split()
    tok[7] = f"{float(tok[7]) + 3:.2f}"  # out-of-place busbw
    lines[i] = "  ".join(f"{t:>12s}" for t in tok)
    at = open_page(PAGE, view="yours")
    at.text_area(key="ddp_yours.paste").set_value("\n".join(lines)).run()
    assert not at.exception
    assert any("do not add up" in w.value for w in at.warning)
    assert any(f"line {i + 1}, out-of-place: busbw" in m.value.replace("\\", "") for m in at.markdown)
    at.text_area(key="ddp_yours.paste").set_value("hello\nworld").run()
    assert not at.exception and any("Could not read it" in w.value for w in at.warning)
    zh = open_page(PAGE, "zh", view="yours")
    zh.text_area(key="ddp_yours.paste").set_value("#  size count type redop time algbw busbw\n1 2 x").run()
    assert not zh.exception and any("无法读取" in w.value for w in zh.warning)


def test_the_walkthrough_step_quotes_the_example_and_opens_the_yours_view() -> None:
    from ui.ddp.yours import example_run

    a, b = example_run().fit()
    at = open_page(PAGE, view="yours", n="2")  # the walkthrough is on every view; this one starts no processes
    assert not at.exception
    step = next(m.value for m in at.markdown if m.value.startswith("8. "))
    assert f"α = {a:.3g} µs and busbw = {b:.4g} GB/s" in step and "0 printed bandwidths fail" in step
    assert any(m.value.startswith("9. ") for m in at.markdown)
    at.button(key="walk_8").click().run()  # resets N to the default and keeps the yours view
    assert not at.exception and any(m.label == "fitted busbw" for m in at.metric)
