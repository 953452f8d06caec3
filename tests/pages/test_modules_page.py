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


def test_a_twin_whose_default_bites_softmax_without_dim() -> None:
    at = go(twin="Softmax", naive="True")
    assert at.warning and "differ" in at.warning[0].value
    assert any("sum to 1 along dim 0" in i and "along dim 2" in i for i in plain(at.info))
    at.toggle(key="naive").set_value(False).run()
    assert_clean(at)
    assert any("bitwise identical" in s.value for s in at.success)


def test_per_sample_gradients_equal_the_loop_on_the_page() -> None:
    from engine.modules.persample import per_sample_demo

    at = settle(go(psn="8"))
    assert_clean(at)
    r = per_sample_demo(8)
    assert any(f"equal the loop's to {r.max_diff:.1e}" in s.value for s in at.success)
    assert any(f"gradient norm {max(r.norms):.3g}" in c for c in plain(at.caption))


def test_the_yours_view_is_off_by_default_and_lints_the_example() -> None:
    at = go()
    assert not any("line(s)" in m.value for m in at.markdown)
    at = go(yours="True")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["findings"] == "5" and metrics["module classes read"] == "3"
    table = next(d.value for d in at.dataframe if "what is wrong" in d.value.columns)
    assert sorted(table["code"]) == sorted(["functional_dropout_training", "plain_list_of_modules", "tensor_attribute",
                                            "softmax_no_dim", "missing_super_init"])
    assert any("example" in c.value for c in at.caption)
    assert any("cannot assign module before Module.__init__() call" in c.value for c in at.code)
    # each finding links to its live view: the dropout button sets the twin above to the eval-mode bug
    at.button(key="lint_go_functional_dropout_training").click().run()
    assert_clean(at)
    assert at.selectbox(key="twin").value == "Dropout" and at.toggle(key="naive").value
    assert at.warning and "differ" in at.warning[0].value
    at.button(key="lint_go_plain_list_of_modules").click().run()
    assert {m.label: m.value for m in at.metric}["parameters"] == "0"


def test_a_pasted_source_is_linted_and_a_bad_one_explained_in_chinese() -> None:
    at = go("zh", yours="True")
    at.text_area(key="modules-lint.paste").set_value(
        "from torch import nn\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.layers = nn.ModuleList([nn.Linear(2, 2)])\n").run()
    assert_clean(at)
    assert any("没有发现问题" in i for i in plain(at.info))
    at.text_area(key="modules-lint.paste").set_value("class M(nn.Module:\n    pass\n").run()
    assert_clean(at)
    assert any("无法读取" in w.value and "第 1 行" in w.value for w in at.warning)
