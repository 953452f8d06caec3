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


def test_functional_call_with_negated_parameters_is_shown_following_the_dict() -> None:
    from engine.modules import compare, twin

    at = go()
    r = compare(twin("Linear"))
    table = next(d.value for d in at.dataframe if "functional_call, every parameter × −1" in d.value.index)
    want = [round(float(v), 4) for v in r.bridge.swapped_out.flatten()[:8]]
    assert table.loc["functional_call, every parameter × −1"].tolist() == want
    assert table.loc["functional_call, every parameter × −1"].tolist() == [-v for v in table.loc["nn module"]]
    assert any("follows the dict, not the module" in i for i in plain(at.info))


def test_batchnorm_modes_are_measured_on_the_page() -> None:
    from engine.modules import example_input, twin
    from engine.modules.state import batchnorm_modes

    at = go(twin="BatchNorm2d", mode="eval")
    r = batchnorm_modes(example_input(twin("BatchNorm2d")))
    assert any(f"differ by up to {r.out_diff:.3g}" in i for i in plain(at.info))


def test_the_inspector_shows_to_float64_live() -> None:
    at = go(bug="tensor_attr")
    table = next(d.value for d in at.dataframe if "dtype after .to(torch.float64)" in d.value.columns)
    rows = {r["name"]: r["dtype after .to(torch.float64)"] for _, r in table.iterrows()}
    assert rows == {"linear.weight": "float64", "linear.bias": "float64", "scale": "float32"}
    assert any("scale stayed float32" in c for c in plain(at.caption))
