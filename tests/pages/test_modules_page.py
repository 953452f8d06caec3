"""AppTest of the nn.Module vs nn.functional page: the verdicts, the Dropout bug, BatchNorm's steps, the inspector."""

from __future__ import annotations

from tests.pages.apptest import assert_clean, open_page, settle

PAGE = "pages/modules.py"


def plain(elements) -> list[str]:
    """Element texts as a reader sees them (markdown's backslash escapes removed)."""
    return [e.value.replace("\\", "") for e in elements]


def go(lang: str = "en", **params: str):
    at = open_page(PAGE, lang, **params)
    assert_clean(at)
    return at


def test_default_linear_is_bitwise_equal_and_the_overhead_is_timed() -> None:
    at = settle(go())
    assert_clean(at)
    assert any("bitwise identical" in s.value for s in at.success)
    assert any("module / function" in str(d.value.columns.tolist()) for d in at.dataframe)


def test_the_dropout_eval_bug_shows_as_a_difference() -> None:
    at = go(twin="Dropout", mode="eval", naive="True")
    assert at.warning and "differ" in at.warning[0].value
    assert any("training=True" in i for i in plain(at.info))
    at.toggle(key="naive").set_value(False).run()
    assert_clean(at)
    assert any("bitwise identical" in s.value for s in at.success)


def test_batchnorm_steps_and_a_link_to_a_step() -> None:
    at = go(twin="BatchNorm2d", bnstep="5", momentum="0.3")
    assert at.slider(key="bnstep").value == 5 and at.select_slider(key="momentum").value == 0.3
    assert any("changed running_mean" in i for i in plain(at.info))
    assert any("Largest relative difference" in c.value for c in at.caption)


def test_the_inspector_on_a_plain_list_and_in_chinese() -> None:
    at = go("zh", bug="plain_list")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["参数"] == "0" and metrics["state_dict 键"] == "0"
    assert any("Python list" in i for i in plain(at.info))
